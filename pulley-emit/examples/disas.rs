//! Compiles a module and prints each function's bytecode:
//! `cargo run -p pulley-emit --example disas -- FILE.wat [pulley32|pulley64|...]`.

use pulley_emit::{Config, Flavour, compile};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: disas FILE.wat|FILE.wasm [TARGET]");
        std::process::exit(2);
    };
    let wasm = wat::parse_file(path).unwrap_or_else(|error| panic!("{path}: {error}"));
    let mut config = Config::default();
    if let Some(target) = args.get(2) {
        config.flavour = target.parse::<Flavour>().expect("a Pulley target");
    }
    let module = match compile(&wasm, &config) {
        Ok(module) => module,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    for (i, function) in module.functions.iter().enumerate() {
        let code = &module.code[function.code_start as usize..function.code_end as usize];
        println!(
            "function {} (frame {} slots, {} params, {} results):",
            i as u32 + module.info.imported_functions,
            function.frame_slots,
            function.params,
            function.results
        );
        print!("{}", pulley_isa::disassemble(code).expect("valid bytecode"));
    }
}
