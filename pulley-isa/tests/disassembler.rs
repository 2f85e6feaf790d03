//! A golden test of the disassembler's text.

use pulley_isa::{FuncIndex, OwnedOp, PcRel, Slot, TrapCode, disassemble};

#[test]
fn disassembly_text_is_stable() {
    let program = [
        OwnedOp::Xconst8 {
            dst: Slot(1),
            imm: -1,
        },
        OwnedOp::Xadd32Imm {
            dst: Slot(0),
            a: Slot(0),
            b: 7,
        },
        OwnedOp::BrIfXult32 {
            a: Slot(0),
            b: Slot(1),
            target: PcRel(-4),
        },
        OwnedOp::Load32U {
            dst: Slot(2),
            addr: Slot(0),
            offset: 16,
        },
        OwnedOp::Call {
            func: FuncIndex(3),
            args: vec![Slot(2), Slot(0)],
            results: vec![Slot(4)],
        },
        OwnedOp::BrTable {
            index: Slot(4),
            targets: vec![PcRel(14), PcRel(16)],
        },
        OwnedOp::Trap {
            code: TrapCode::Unreachable,
        },
        OwnedOp::Ret {
            values: vec![Slot(4)],
        },
        OwnedOp::MovWide {
            dst: Slot(300),
            src: Slot(2),
        },
    ];
    let mut code = Vec::new();
    for op in &program {
        op.encode(&mut code).unwrap();
    }
    let expected = "\
0x0000: xconst8 r1, -1
0x0003: xadd32_imm r0, r0, 7
0x000a: br_if_xult32 r0, r1, 0x0006
0x0011: load32_u r2, r0, 16
0x0018: call func3, [r2, r0], [r4]
0x0027: br_table r4, [0x0035, default 0x0037]
0x0035: trap unreachable
0x0037: ret [r4]
0x003c: mov_wide r300, r2
";
    assert_eq!(disassemble(&code).unwrap(), expected);
}
