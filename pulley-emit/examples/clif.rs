//! Prints the optimized Cranelift IR of one function of a module, as the
//! lowering sees it: `cargo run -p pulley-emit --example clif -- FILE.wat FUNC [pulley32|pulley64|...]`.

use pulley_emit::{Config, Flavour, compile_function_to_clif};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(func)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: clif FILE.wat|FILE.wasm FUNC [TARGET]");
        std::process::exit(2);
    };
    let wasm = wat::parse_file(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let mut config = Config::default();
    if let Some(target) = args.get(3) {
        config.flavour = target.parse::<Flavour>().expect("a Pulley target");
    }
    let func: u32 = func.parse().expect("a function index");
    match compile_function_to_clif(&wasm, &config, func) {
        Ok(clif) => print!("{clif}"),
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
