//! The linker's names: definitions, shadowing and module aliases.

use pulley::{Engine, Error, LinkError, Linker, Module, Store};

/// A module importing `a.f` and `b.f` (both `() -> i32`), exporting
/// their sum as `sum`.
const IMPORTS_A_AND_B: &str = r#"(module
    (import "a" "f" (func $a (result i32)))
    (import "b" "f" (func $b (result i32)))
    (func (export "sum") (result i32) (i32.add (call $a) (call $b))))"#;

fn sum(linker: &Linker<()>, engine: &Engine) -> Result<i32, Error> {
    let module = Module::new(engine, IMPORTS_A_AND_B)?;
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, &module)?;
    instance
        .get_typed_func::<(), i32>(&store, "sum")?
        .call(&mut store, ())
}

#[test]
fn an_aliased_module_resolves_to_the_same_definitions() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker.func_wrap("a", "f", || 20).unwrap();
    assert!(matches!(
        sum(&linker, &engine),
        Err(Error::Link(LinkError::UnknownImport { .. }))
    ));
    linker.alias_module("a", "b").unwrap();
    assert_eq!(sum(&linker, &engine).unwrap(), 40);
    // Later definitions under `a` are not aliased.
    linker.func_wrap("a", "g", || 1).unwrap();
    let mut store = Store::new(&engine, ());
    assert!(linker.get(&mut store, "b", "g").is_none());
}

#[test]
fn an_alias_onto_defined_names_follows_the_shadowing_rule() {
    let engine = Engine::default();
    let mut linker = Linker::new(&engine);
    linker.func_wrap("a", "e", || 0).unwrap();
    linker.func_wrap("a", "f", || 1).unwrap();
    linker.func_wrap("b", "f", || 2).unwrap();
    linker.func_wrap("b", "other", || 3).unwrap();
    let Err(error) = linker.alias_module("a", "b") else {
        panic!("aliased onto a defined name");
    };
    assert!(
        matches!(&error, Error::Link(LinkError::DefinedTwice { module, name })
            if module == "b" && name == "f"),
        "{error}"
    );
    assert_eq!(sum(&linker, &engine).unwrap(), 3);
    // All or nothing: `a.e`, which `b` lacks, was not aliased either.
    let mut store = Store::new(&engine, ());
    assert!(linker.get(&mut store, "b", "e").is_none());

    linker.allow_shadowing(true);
    linker.alias_module("a", "b").unwrap();
    assert_eq!(sum(&linker, &engine).unwrap(), 2);
    assert!(linker.get(&mut store, "b", "e").is_some());
    assert!(linker.get(&mut store, "b", "other").is_some());
}

#[test]
fn aliasing_a_module_without_definitions_defines_nothing() {
    let engine = Engine::default();
    let mut linker = Linker::<()>::new(&engine);
    linker.alias_module("nothing", "b").unwrap();
    let mut store = Store::new(&engine, ());
    assert!(linker.get(&mut store, "b", "f").is_none());
}

/// WASI's functions are made when a module imports them (the linker's
/// on-demand sets); they follow the same rules as definitions made one by
/// one.
mod wasi_on_demand {
    use pulley::wasi::{self, WasiCtx, WasiCtxBuilder};
    use pulley::{Engine, Error, LinkError, Linker, Module, Store};

    const PREVIEW1: &str = "wasi_snapshot_preview1";

    /// A module that imports `module.name` as `(param i32) (result i32)`
    /// (the type of `fd_close`) and calls it with an fd that is not open.
    fn importer(module: &str, name: &str) -> String {
        format!(
            r#"(module
                (import "{module}" "{name}" (func $f (param i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "run") (result i32) (call $f (i32.const 99))))"#
        )
    }

    /// Instantiates `importer(module, name)` and runs it.
    fn run(linker: &Linker<WasiCtx>, module: &str, name: &str) -> Result<i32, Error> {
        let engine = linker.engine().clone();
        let wasm = Module::new(&engine, importer(module, name))?;
        let mut store = Store::new(&engine, WasiCtxBuilder::new().build());
        let instance = linker.instantiate(&mut store, &wasm)?;
        instance
            .get_typed_func::<(), i32>(&store, "run")?
            .call(&mut store, ())
    }

    fn wasi_linker() -> Linker<WasiCtx> {
        let mut linker = Linker::new(&Engine::default());
        wasi::add_to_linker(&mut linker, |ctx| ctx).unwrap();
        linker
    }

    fn is_defined_twice(error: &Error, in_module: &str, in_name: &str) -> bool {
        matches!(error, Error::Link(LinkError::DefinedTwice { module, name })
            if module == in_module && name == in_name)
    }

    #[test]
    fn both_snapshots_resolve_and_unknown_names_do_not() {
        let linker = wasi_linker();
        // EBADF: 8.
        assert_eq!(run(&linker, PREVIEW1, "fd_close").unwrap(), 8);
        assert_eq!(run(&linker, "wasi_unstable", "fd_close").unwrap(), 8);
        let mut store = Store::new(linker.engine(), WasiCtxBuilder::new().build());
        assert!(linker.get(&mut store, PREVIEW1, "fd_write").is_some());
        assert!(
            linker
                .get(&mut store, PREVIEW1, "no_such_function")
                .is_none()
        );
        assert!(matches!(
            run(&linker, PREVIEW1, "no_such_function"),
            Err(Error::Link(LinkError::UnknownImport { .. }))
        ));
    }

    #[test]
    fn a_name_wasi_defines_cannot_be_defined_again_without_shadowing() {
        let mut linker = wasi_linker();
        let Err(error) = linker.func_wrap(PREVIEW1, "fd_close", |_: i32| 7) else {
            panic!("fd_close defined twice");
        };
        assert!(is_defined_twice(&error, PREVIEW1, "fd_close"), "{error}");
        // Names WASI lacks are free.
        linker.func_wrap(PREVIEW1, "extra", |_: i32| 7).unwrap();
        assert_eq!(run(&linker, PREVIEW1, "extra").unwrap(), 7);
        // And WASI cannot be added twice: the error names one of its
        // functions.
        let Err(error) = wasi::add_to_linker(&mut linker, |ctx| ctx) else {
            panic!("WASI added twice");
        };
        assert!(
            matches!(&error, Error::Link(LinkError::DefinedTwice { module, name })
                if module == PREVIEW1 && name != "extra"),
            "{error}"
        );
    }

    #[test]
    fn the_later_definition_wins_with_shadowing() {
        // A definition after WASI's replaces it...
        let mut linker = wasi_linker();
        linker.allow_shadowing(true);
        linker.func_wrap(PREVIEW1, "fd_close", |_: i32| 7).unwrap();
        assert_eq!(run(&linker, PREVIEW1, "fd_close").unwrap(), 7);
        // ...and WASI added after a definition replaces that one.
        let mut linker = Linker::new(&Engine::default());
        linker.allow_shadowing(true);
        linker.func_wrap(PREVIEW1, "fd_close", |_: i32| 7).unwrap();
        wasi::add_to_linker(&mut linker, |ctx| ctx).unwrap();
        assert_eq!(run(&linker, PREVIEW1, "fd_close").unwrap(), 8);
    }

    #[test]
    fn an_alias_of_wasi_resolves_and_conflicts_like_named_definitions() {
        let mut linker = wasi_linker();
        linker.alias_module(PREVIEW1, "env").unwrap();
        assert_eq!(run(&linker, "env", "fd_close").unwrap(), 8);

        let mut linker = wasi_linker();
        linker.func_wrap("env", "fd_close", |_: i32| 7).unwrap();
        let Err(error) = linker.alias_module(PREVIEW1, "env") else {
            panic!("aliased WASI onto a defined name");
        };
        assert!(is_defined_twice(&error, "env", "fd_close"), "{error}");
        assert_eq!(run(&linker, "env", "fd_close").unwrap(), 7);
        linker.allow_shadowing(true);
        linker.alias_module(PREVIEW1, "env").unwrap();
        assert_eq!(run(&linker, "env", "fd_close").unwrap(), 8);
    }
}
