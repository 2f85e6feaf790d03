//! Property tests over every op of the table: encode -> decode -> equal op,
//! sizes, truncation, and decoding arbitrary bytes.

use proptest::prelude::*;
use proptest::strategy::Union;
use pulley_isa::operands::Immediate;
use pulley_isa::{
    BuiltinIndex, DecodeError, FuncIndex, FuncRefIndex, GlobalIndex, ImportIndex, OwnedOp, PcRel,
    Slot, TableIndex, TrapCode, TypeIndex, decode_all, decode_one, for_each_op,
};

/// A strategy for one operand of the given kind.
macro_rules! arbitrary_operand {
    (Dst) => {
        (0u16..=255).prop_map(Slot)
    };
    (Src) => {
        (0u16..=255).prop_map(Slot)
    };
    (DstWide) => {
        any::<u16>().prop_map(Slot)
    };
    (SrcWide) => {
        any::<u16>().prop_map(Slot)
    };
    (DstList) => {
        proptest::collection::vec(any::<u16>().prop_map(Slot), 0..12)
    };
    (SrcList) => {
        proptest::collection::vec(any::<u16>().prop_map(Slot), 0..12)
    };
    (Target) => {
        any::<i32>().prop_map(PcRel)
    };
    (JumpTable) => {
        proptest::collection::vec(any::<i32>().prop_map(PcRel), 1..12)
    };
    (TrapCode) => {
        proptest::sample::select(TrapCode::ALL.to_vec())
    };
    (FuncIndex) => {
        any::<u32>().prop_map(FuncIndex)
    };
    (ImportIndex) => {
        any::<u32>().prop_map(ImportIndex)
    };
    (FuncRefIndex) => {
        any::<u32>().prop_map(FuncRefIndex)
    };
    (GlobalIndex) => {
        any::<u32>().prop_map(GlobalIndex)
    };
    (TableIndex) => {
        any::<u32>().prop_map(TableIndex)
    };
    (TypeIndex) => {
        any::<u32>().prop_map(TypeIndex)
    };
    (BuiltinIndex) => {
        any::<u32>().prop_map(BuiltinIndex)
    };
    (I8) => {
        any::<i8>()
    };
    (I32) => {
        any::<i32>()
    };
    (I64) => {
        any::<i64>()
    };
    (U8) => {
        any::<u8>()
    };
    (U32) => {
        any::<u32>()
    };
    (U128) => {
        any::<u128>()
    };
}

/// One strategy per op of the table, each producing that op with arbitrary
/// operands; a new op in the table is covered without touching this test.
macro_rules! every_op_strategy {
    (
        primary {
            $( $(#[$primary_attr:meta])* $Primary:ident = $primary:ident { $( $pfield:ident : $pkind:ident ),* $(,)? } $( [ $( $pflag:ident ),* ] )? ; )*
        }
        extended {
            $( $(#[$ext_attr:meta])* $Extended:ident = $extended:ident { $( $efield:ident : $ekind:ident ),* $(,)? } $( [ $( $eflag:ident ),* ] )? ; )*
        }
    ) => {
        fn every_op() -> Vec<BoxedStrategy<OwnedOp>> {
            vec![
                $( ( $( arbitrary_operand!($pkind), )* )
                    .prop_map(|( $( $pfield, )* )| OwnedOp::$Primary { $( $pfield ),* })
                    .boxed(), )*
                $( ( $( arbitrary_operand!($ekind), )* )
                    .prop_map(|( $( $efield, )* )| OwnedOp::$Extended { $( $efield ),* })
                    .boxed(), )*
            ]
        }
    };
}

for_each_op!(every_op_strategy);

fn any_op() -> impl Strategy<Value = OwnedOp> {
    Union::new(every_op())
}

#[test]
fn every_op_has_a_strategy() {
    assert_eq!(
        every_op().len(),
        pulley_isa::Opcode::ALL.len() + pulley_isa::ExtOpcode::ALL.len()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn encode_then_decode_gives_the_same_op(op in any_op()) {
        let mut code = Vec::new();
        op.encode(&mut code).unwrap();
        prop_assert_eq!(code.len(), op.encoded_len().unwrap());
        if let Some(size) = op.opcode().fixed_size() {
            prop_assert_eq!(size, code.len());
        }
        let (decoded, next) = decode_one(&code, 0).unwrap();
        prop_assert_eq!(next, code.len());
        prop_assert_eq!(decoded.to_owned_op(), op);
    }

    #[test]
    fn every_truncation_is_an_unexpected_end(op in any_op()) {
        let mut code = Vec::new();
        op.encode(&mut code).unwrap();
        for len in 0..code.len() {
            let error = decode_one(&code[..len], 0).unwrap_err();
            prop_assert!(matches!(error, DecodeError::UnexpectedEnd { .. }), "{error:?}");
        }
    }

    #[test]
    fn ops_decode_back_to_back(ops in proptest::collection::vec(any_op(), 1..20)) {
        let mut code = Vec::new();
        let mut offsets = Vec::new();
        for op in &ops {
            offsets.push(code.len());
            op.encode(&mut code).unwrap();
        }
        let decoded: Vec<_> = decode_all(&code).map(|d| d.unwrap()).collect();
        prop_assert_eq!(decoded.len(), ops.len());
        for ((at, op), (expected_at, expected)) in decoded.iter().zip(offsets.iter().zip(&ops)) {
            prop_assert_eq!(at, expected_at);
            prop_assert_eq!(&op.to_owned_op(), expected);
        }
    }

    #[test]
    fn arbitrary_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        for decoded in decode_all(&bytes) {
            match decoded {
                Ok((at, op)) => {
                    let mut again = Vec::new();
                    op.encode(&mut again).unwrap();
                    prop_assert_eq!(&bytes[at..at + again.len()], &again[..]);
                }
                Err(_) => break,
            }
        }
    }
}

#[test]
fn invalid_opcodes_are_rejected() {
    let first_invalid = pulley_isa::EXTENDED_PREFIX as usize + 1;
    for byte in first_invalid..=255 {
        assert_eq!(
            decode_one(&[byte as u8, 0, 0, 0, 0, 0, 0, 0], 0).unwrap_err(),
            DecodeError::InvalidOpcode {
                at: 0,
                byte: byte as u8
            }
        );
    }
    let past_extended = pulley_isa::ExtOpcode::ALL.len() as u16;
    let mut code = vec![pulley_isa::EXTENDED_PREFIX];
    code.extend_from_slice(&past_extended.to_le_bytes());
    assert_eq!(
        decode_one(&code, 0).unwrap_err(),
        DecodeError::InvalidExtendedOpcode {
            at: 0,
            value: past_extended
        }
    );
}

#[test]
fn invalid_trap_codes_and_empty_jump_tables_are_rejected() {
    let code = [pulley_isa::Opcode::Trap as u8, TrapCode::ALL.len() as u8];
    assert_eq!(
        decode_one(&code, 0).unwrap_err(),
        DecodeError::InvalidTrapCode {
            at: 1,
            byte: TrapCode::ALL.len() as u8
        }
    );
    let code = [pulley_isa::Opcode::BrTable as u8, 0, 0, 0, 0, 0];
    assert_eq!(
        decode_one(&code, 0).unwrap_err(),
        DecodeError::EmptyJumpTable { at: 2 }
    );
}

#[test]
fn narrow_slots_must_fit_a_byte() {
    let op = OwnedOp::Mov {
        dst: Slot(256),
        src: Slot(0),
    };
    assert_eq!(
        op.encode(&mut Vec::new()).unwrap_err(),
        pulley_isa::EncodeError::SlotTooWide { slot: 256 }
    );
    let wide = OwnedOp::MovWide {
        dst: Slot(256),
        src: Slot(0),
    };
    assert_eq!(wide.encoded_len().unwrap(), 7);
}

#[test]
fn immediates_are_little_endian() {
    let op = OwnedOp::Xconst32 {
        dst: Slot(3),
        imm: 0x1234_5678,
    };
    let mut code = Vec::new();
    op.encode(&mut code).unwrap();
    assert_eq!(
        code,
        [
            pulley_isa::Opcode::Xconst32 as u8,
            3,
            0x78,
            0x56,
            0x34,
            0x12
        ]
    );
    assert_eq!(<i32 as Immediate>::SIZE, 4);
}
