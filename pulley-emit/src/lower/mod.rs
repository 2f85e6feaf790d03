//! Optimized Cranelift IR -> Pulley bytecode.
//!
//! `select` walks the function and hands each instruction to a rule module
//! (`arithmetic`, `compare`, `branch`, `call`, `memory`, `division`,
//! `simd`), which chooses ops on virtual registers through the function's
//! [`context`]. `vcode` arranges them in blocks for regalloc2, `emit` turns
//! allocations into frame slots, and `layout` lays out blocks for it to
//! encode. `clif_fixtures` (a test) lowers the CLIF functions of
//! `tests/lower/*.clif` and compares their disassembly with the expected
//! text in each file.

mod arithmetic;
mod branch;
mod call;
#[cfg(test)]
mod clif_fixtures;
mod compare;
mod context;
mod division;
mod emit;
mod layout;
mod memory;
mod pressure;
mod select;
mod simd;
mod vcode;
mod vector_ops;

use cranelift_codegen::ir;
use pulley_module::{
    AddressMapEntry, CheapCompilation, CompiledFunction, CompiledModule, ModuleInfo,
};
use regalloc2::{Algorithm, Block as RaBlock, InstRange, RegallocOptions};

use crate::CompileError;
use crate::translate::ModuleEnvironment;
use vcode::{Label, VBlock, VCode, VInst};

/// A function lowered to bytecode.
pub(crate) struct LoweredFunction {
    emitted: emit::EmittedFunction,
    params: u32,
    results: u32,
    compiled_cheaply: CheapCompilation,
}

/// Values live at once (estimated by [`pressure::estimate`]) beyond which
/// registers are allocated by regalloc2's single-pass allocator. Its
/// backtracking allocator's time grows with the square of that number
/// (four times the live values took 10 to 20 times as long); the
/// single-pass one's grows linearly, and spills more. The most in any
/// function of ../shared/bench-wasm and bench-wasm-large is 433
/// (shootout-ed25519); large C++ functions stay under 200.
const SINGLE_PASS_PRESSURE: usize = 1000;

/// The buffers that lowering reuses from one function to the next (the
/// state of one function is a [`context::LoweringContext`]).
pub(crate) struct LoweringBuffers {
    vcode: VCode,
    regalloc: regalloc2::Ctx,
    machine: regalloc2::MachineEnv,
}

impl Default for LoweringBuffers {
    fn default() -> Self {
        LoweringBuffers {
            vcode: VCode::default(),
            regalloc: regalloc2::Ctx::default(),
            machine: vcode::machine_env(),
        }
    }
}

impl LoweringBuffers {
    /// Lowers one optimized function (wasm function index `wasm_func`).
    pub(crate) fn lower(
        &mut self,
        env: &ModuleEnvironment<'_>,
        func: &ir::Function,
        wasm_func: u32,
    ) -> Result<LoweredFunction, CompileError> {
        let selection = select::select(env, func, wasm_func)?;
        build_vcode(&mut self.vcode, selection);
        let compiled_cheaply = if pressure::estimate(&self.vcode) > SINGLE_PASS_PRESSURE {
            CheapCompilation::SinglePassAllocation
        } else {
            CheapCompilation::No
        };
        let options = RegallocOptions {
            validate_ssa: cfg!(debug_assertions),
            algorithm: match compiled_cheaply {
                CheapCompilation::No => Algorithm::Ion,
                CheapCompilation::SinglePassAllocation => Algorithm::Fastalloc,
            },
            ..RegallocOptions::default()
        };
        let output =
            regalloc2::run_with_ctx(&self.vcode, &self.machine, &options, &mut self.regalloc)
                .map_err(|error| {
                    CompileError::Internal(format!(
                        "register allocation of function {wasm_func}: {error:?}"
                    ))
                })?;
        if cfg!(debug_assertions) {
            let mut checker = regalloc2::checker::Checker::new(&self.vcode, &self.machine);
            checker.prepare(output);
            checker.run().map_err(|errors| {
                CompileError::Internal(format!(
                    "regalloc2 checker, function {wasm_func}: {errors:?}"
                ))
            })?;
        }
        let signature = &func.signature;
        let params = slot_count(&signature.params[1..]);
        let results = slot_count(&signature.returns);
        let emitted = emit::emit(&self.vcode, output, params, wasm_func)?;
        Ok(LoweredFunction {
            emitted,
            params: params as u32,
            results: results as u32,
            compiled_cheaply,
        })
    }
}

/// The frame slots values of these types occupy: one each, two for a
/// vector (see [`pulley_isa::table`]), as [`pulley_module::ValType::slots`]
/// counts the wasm types they come from.
fn slot_count(values: &[ir::AbiParam]) -> usize {
    values
        .iter()
        .map(|param| if param.value_type.is_vector() { 2 } else { 1 })
        .sum()
}

/// Lays out selected blocks in order, renumbers them, and computes the CFG
/// regalloc2 needs.
fn build_vcode(vcode: &mut VCode, selection: context::Selection) {
    vcode.clear();
    vcode.num_vregs = selection.num_vregs;
    let mut renumber = vec![0u32; selection.blocks.len()];
    for (new, &old) in selection.order.iter().enumerate() {
        renumber[old as usize] = new as u32;
    }
    let mut blocks = selection.blocks;
    for &old in &selection.order {
        let block = std::mem::take(&mut blocks[old as usize]);
        let start = vcode.insts.len();
        let mut succs = Vec::new();
        for (inst, srcloc) in block.insts {
            let inst = match inst {
                VInst::Jump { target, args } => VInst::Jump {
                    target: renumber[target as usize],
                    args,
                },
                VInst::Branch {
                    op,
                    taken,
                    not_taken,
                } => {
                    let taken = renumber[taken as usize];
                    let op = relabel(&op, taken);
                    VInst::Branch {
                        op,
                        taken,
                        not_taken: renumber[not_taken as usize],
                    }
                }
                VInst::Table { index, targets } => VInst::Table {
                    index,
                    targets: targets.iter().map(|&t| renumber[t as usize]).collect(),
                },
                other => other,
            };
            succs = inst.successors();
            vcode.push(inst, srcloc);
        }
        vcode.blocks.push(VBlock {
            params: block.params,
            insts: InstRange::new(
                regalloc2::Inst::new(start),
                regalloc2::Inst::new(vcode.insts.len()),
            ),
            succs: succs
                .into_iter()
                .map(|b| RaBlock::new(b as usize))
                .collect(),
            preds: Vec::new(),
        });
    }
    for block in 0..vcode.blocks.len() {
        for succ in vcode.blocks[block].succs.clone() {
            vcode.blocks[succ.index()].preds.push(RaBlock::new(block));
        }
    }
}

/// A conditional branch op with its block target renumbered.
fn relabel(op: &vcode::VirtualOp, taken: u32) -> vcode::VirtualOp {
    struct Relabel(u32);
    impl pulley_isa::OperandMapper<vcode::Virtual, vcode::Virtual> for Relabel {
        fn dst(&mut self, v: &regalloc2::VReg) -> regalloc2::VReg {
            *v
        }
        fn src(&mut self, v: &regalloc2::VReg) -> regalloc2::VReg {
            *v
        }
        fn dst_wide(&mut self, v: &regalloc2::VReg) -> regalloc2::VReg {
            *v
        }
        fn src_wide(&mut self, v: &regalloc2::VReg) -> regalloc2::VReg {
            *v
        }
        fn dst_list(&mut self, list: &Vec<regalloc2::VReg>) -> Vec<regalloc2::VReg> {
            list.clone()
        }
        fn src_list(&mut self, list: &Vec<regalloc2::VReg>) -> Vec<regalloc2::VReg> {
            list.clone()
        }
        fn target(&mut self, target: &Label) -> Label {
            match target {
                Label::Block(_) => Label::Block(self.0),
                trap => *trap,
            }
        }
        fn jump_table(&mut self, table: &Vec<Label>) -> Vec<Label> {
            table.clone()
        }
    }
    op.map(&mut Relabel(taken))
}

/// Collects compiled functions into one code buffer.
impl LoweredFunction {
    /// The size of its bytecode.
    pub(crate) fn code_len(&self) -> usize {
        self.emitted.code.len()
    }

    /// The function on its own, with offsets relative to its first op.
    pub(crate) fn into_function_code(self) -> crate::FunctionCode {
        crate::FunctionCode {
            code: self.emitted.code,
            frame_slots: self.emitted.frame_slots,
            params: self.params,
            results: self.results,
            address_map: self.emitted.address_map,
            compiled_cheaply: self.compiled_cheaply,
            tier: crate::Tier::Optimizing,
        }
    }
}

pub(crate) struct ModuleEmitter {
    code: Vec<u8>,
    functions: Vec<CompiledFunction>,
    address_map: Vec<AddressMapEntry>,
}

impl ModuleEmitter {
    pub(crate) fn new(_env: &ModuleEnvironment<'_>) -> Self {
        ModuleEmitter {
            code: Vec::new(),
            functions: Vec::new(),
            address_map: Vec::new(),
        }
    }

    /// Appends a function.
    pub(crate) fn push(&mut self, function: LoweredFunction) -> Result<(), CompileError> {
        let start = self.code.len();
        let too_large = || CompileError::Unsupported("more than 4 GiB of bytecode".into());
        let code_start = u32::try_from(start).map_err(|_| too_large())?;
        self.code.extend_from_slice(&function.emitted.code);
        let code_end = u32::try_from(self.code.len()).map_err(|_| too_large())?;
        for &(offset, wasm_offset) in &function.emitted.address_map {
            self.address_map.push(AddressMapEntry {
                code_offset: code_start + offset,
                wasm_offset,
            });
        }
        self.functions.push(CompiledFunction {
            code_start,
            code_end,
            frame_slots: function.emitted.frame_slots,
            params: function.params,
            results: function.results,
            compiled_cheaply: function.compiled_cheaply,
        });
        Ok(())
    }

    /// The compiled module.
    pub(crate) fn finish(self, info: ModuleInfo) -> CompiledModule {
        CompiledModule {
            info: info.into(),
            code: self.code,
            functions: self.functions,
            address_map: self.address_map,
        }
    }
}
