//! Tiering up in the background takes one thread per engine, however many
//! functions get hot (its own test binary: it counts this process's
//! threads, which other tests would make too).

use pulley::{Config, Engine, FirstTier, Linker, Module, Store, Val};

/// The threads of this process named `name` (Linux: `/proc/self/task`).
fn threads_named(name: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
                .filter(|comm| comm.trim_end() == name)
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn many_hot_functions_tier_up_on_one_thread_per_engine() {
    if !std::path::Path::new("/proc/self/task").exists() {
        eprintln!("skipped: no /proc/self/task to count threads in");
        return;
    }
    let mut config = Config::new();
    config
        .first_tier(FirstTier::Baseline)
        .tier_up_threshold(Some(1));
    assert!(config.get_tier_up_in_background());
    let engine = Engine::new(&config);
    // 40 functions, each hot at its first call.
    let mut wat = String::from("(module");
    for i in 0..40 {
        wat += &format!(
            r#" (func (export "f{i}") (param i32) (result i32) (i32.add (local.get 0) (i32.const {i})))"#
        );
    }
    wat += ")";
    let module = Module::new(&engine, &wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut most_threads = 0;
    while module.compilation_stats().unwrap().tiered_up.functions < 40 {
        for i in 0..40 {
            let f = instance.get_func(&store, &format!("f{i}")).unwrap();
            let mut result = [Val::I32(0)];
            f.call(&mut store, &[Val::I32(1)], &mut result).unwrap();
            assert_eq!(result[0].i32(), Some(1 + i));
        }
        most_threads = most_threads.max(threads_named("pulley tier-up"));
        assert!(std::time::Instant::now() < deadline, "no tier-up in 60 s");
    }
    assert_eq!(most_threads.max(threads_named("pulley tier-up")), 1);
}
