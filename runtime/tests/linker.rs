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
