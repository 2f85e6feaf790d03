//! Rewrites of the op emitted last, which a single pass can make without
//! looking further back: when the next operator consumes that op's result
//! and nothing can jump in between, the op writes the result where it goes
//! (`local.set` after an arithmetic op: no `mov`), or a comparison becomes
//! the branch that tests it (`br_if` after `i32.lt_u`: one op instead of
//! two).

use pulley_isa::{Owned, OwnedOp, PcRel, Slot};

use super::Baseline;

/// The op emitted last, while no label lies between it and the end of the
/// code: where it starts, the op (kept rather than decoded again when a
/// rewrite is tried: decoding cost 5% more of the translation's
/// instructions on `resample --help`, callgrind), and whether it added an
/// entry to the address map.
pub(super) struct LastOp {
    start: usize,
    op: OwnedOp,
    recorded: bool,
}

impl LastOp {
    pub(super) fn new(start: usize, op: OwnedOp, recorded: bool) -> LastOp {
        LastOp {
            start,
            op,
            recorded,
        }
    }
}

/// Maps the written slot `from` to `to`, counting the written operands.
struct Retarget {
    from: Slot,
    to: Slot,
    writes: usize,
    lists: bool,
}

impl pulley_isa::OperandMapper<Owned, Owned> for Retarget {
    fn dst(&mut self, dst: &Slot) -> Slot {
        self.writes += 1;
        if *dst == self.from { self.to } else { *dst }
    }
    fn src(&mut self, src: &Slot) -> Slot {
        *src
    }
    fn dst_wide(&mut self, dst: &Slot) -> Slot {
        self.dst(dst)
    }
    fn src_wide(&mut self, src: &Slot) -> Slot {
        *src
    }
    fn dst_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
        self.lists = true;
        list.clone()
    }
    fn src_list(&mut self, list: &Vec<Slot>) -> Vec<Slot> {
        list.clone()
    }
    fn target(&mut self, target: &PcRel) -> PcRel {
        *target
    }
    fn jump_table(&mut self, table: &Vec<PcRel>) -> Vec<PcRel> {
        table.clone()
    }
}

impl Baseline<'_> {
    /// Takes the op emitted last back out of the code, if nothing can jump
    /// between it and the end of the code and `accept` takes it.
    fn take_last(&mut self, accept: impl FnOnce(&OwnedOp) -> Option<OwnedOp>) -> Option<OwnedOp> {
        let replacement = accept(&self.last.as_ref()?.op)?;
        let last = self.last.take()?;
        self.out.truncate(last.start);
        if last.recorded {
            self.address_map.pop();
        }
        Some(replacement)
    }

    /// Makes the op emitted last write `to` instead of `from`, if `from` is
    /// the one slot it writes and it only computes (no branch, call or
    /// list). The caller guarantees that nothing reads `from` later.
    pub(super) fn retarget_last(&mut self, from: Slot, to: Slot) -> bool {
        let replacement = self.take_last(|op| {
            let flags = op.flags();
            if flags.branches() || flags.is_call() || flags.is_terminator() {
                return None;
            }
            let mut retarget = Retarget {
                from,
                to,
                writes: 0,
                lists: false,
            };
            let mapped = op.map(&mut retarget);
            (retarget.writes == 1 && !retarget.lists && mapped != *op).then_some(mapped)
        });
        match replacement {
            Some(op) => self.emit(op).is_ok(),
            None => false,
        }
    }

    /// The branch to `label` that tests the comparison emitted last, if it
    /// wrote `cond` and has a branch form: taken when it holds, or, if
    /// `negate`, when it does not (integer comparisons only: a float
    /// comparison with NaN is false both ways).
    pub(super) fn fuse_compare(&mut self, cond: Slot, negate: bool) -> Option<OwnedOp> {
        self.take_last(|op| compare_branch(op, cond, negate))
    }
}

/// The branch form of comparison `op` writing `cond` (negated if asked),
/// with a placeholder target.
fn compare_branch(op: &OwnedOp, cond: Slot, negate: bool) -> Option<OwnedOp> {
    use OwnedOp as O;
    let target = PcRel(0);
    // `(dst, a, b, taken when it holds, taken when not)`, with `swap` if
    // the second takes its operands swapped (`!(a < b)` is `b <= a`); a
    // float comparison has no negation.
    macro_rules! register {
        ($dst:expr, $a:expr, $b:expr, $taken:ident, $not:ident $(, $swap:ident)?) => {{
            if *$dst != cond {
                return None;
            }
            let (a, b) = (*$a, *$b);
            Some(if negate {
                register!(@not $not, a, b $(, $swap)?)
            } else {
                O::$taken { a, b, target }
            })
        }};
        (@not $not:ident, $a:ident, $b:ident) => {
            O::$not { a: $a, b: $b, target }
        };
        (@not $not:ident, $a:ident, $b:ident, swap) => {
            O::$not { a: $b, b: $a, target }
        };
        ($dst:expr, $a:expr, $b:expr, $taken:ident) => {{
            if *$dst != cond || negate {
                return None;
            }
            let (a, b) = (*$a, *$b);
            Some(O::$taken { a, b, target })
        }};
    }
    match op {
        O::Xeq32 { dst, a, b } => register!(dst, a, b, BrIfXeq32, BrIfXne32),
        O::Xne32 { dst, a, b } => register!(dst, a, b, BrIfXne32, BrIfXeq32),
        O::Xslt32 { dst, a, b } => register!(dst, a, b, BrIfXslt32, BrIfXsle32, swap),
        O::Xsle32 { dst, a, b } => register!(dst, a, b, BrIfXsle32, BrIfXslt32, swap),
        O::Xult32 { dst, a, b } => register!(dst, a, b, BrIfXult32, BrIfXule32, swap),
        O::Xule32 { dst, a, b } => register!(dst, a, b, BrIfXule32, BrIfXult32, swap),
        O::Xeq64 { dst, a, b } => register!(dst, a, b, BrIfXeq64, BrIfXne64),
        O::Xne64 { dst, a, b } => register!(dst, a, b, BrIfXne64, BrIfXeq64),
        O::Xslt64 { dst, a, b } => register!(dst, a, b, BrIfXslt64, BrIfXsle64, swap),
        O::Xsle64 { dst, a, b } => register!(dst, a, b, BrIfXsle64, BrIfXslt64, swap),
        O::Xult64 { dst, a, b } => register!(dst, a, b, BrIfXult64, BrIfXule64, swap),
        O::Xule64 { dst, a, b } => register!(dst, a, b, BrIfXule64, BrIfXult64, swap),
        O::Xeq32Imm { dst, a, b } => register!(dst, a, b, BrIfXeq32Imm, BrIfXne32Imm),
        O::Xne32Imm { dst, a, b } => register!(dst, a, b, BrIfXne32Imm, BrIfXeq32Imm),
        O::Xslt32Imm { dst, a, b } => register!(dst, a, b, BrIfXslt32Imm, BrIfXsge32Imm),
        O::Xsle32Imm { dst, a, b } => register!(dst, a, b, BrIfXsle32Imm, BrIfXsgt32Imm),
        O::Xsgt32Imm { dst, a, b } => register!(dst, a, b, BrIfXsgt32Imm, BrIfXsle32Imm),
        O::Xsge32Imm { dst, a, b } => register!(dst, a, b, BrIfXsge32Imm, BrIfXslt32Imm),
        O::Xult32Imm { dst, a, b } => register!(dst, a, b, BrIfXult32Imm, BrIfXuge32Imm),
        O::Xule32Imm { dst, a, b } => register!(dst, a, b, BrIfXule32Imm, BrIfXugt32Imm),
        O::Xugt32Imm { dst, a, b } => register!(dst, a, b, BrIfXugt32Imm, BrIfXule32Imm),
        O::Xuge32Imm { dst, a, b } => register!(dst, a, b, BrIfXuge32Imm, BrIfXult32Imm),
        O::Xeq64Imm { dst, a, b } => register!(dst, a, b, BrIfXeq64Imm, BrIfXne64Imm),
        O::Xne64Imm { dst, a, b } => register!(dst, a, b, BrIfXne64Imm, BrIfXeq64Imm),
        O::Xslt64Imm { dst, a, b } => register!(dst, a, b, BrIfXslt64Imm, BrIfXsge64Imm),
        O::Xsle64Imm { dst, a, b } => register!(dst, a, b, BrIfXsle64Imm, BrIfXsgt64Imm),
        O::Xsgt64Imm { dst, a, b } => register!(dst, a, b, BrIfXsgt64Imm, BrIfXsle64Imm),
        O::Xsge64Imm { dst, a, b } => register!(dst, a, b, BrIfXsge64Imm, BrIfXslt64Imm),
        O::Xult64Imm { dst, a, b } => register!(dst, a, b, BrIfXult64Imm, BrIfXuge64Imm),
        O::Xule64Imm { dst, a, b } => register!(dst, a, b, BrIfXule64Imm, BrIfXugt64Imm),
        O::Xugt64Imm { dst, a, b } => register!(dst, a, b, BrIfXugt64Imm, BrIfXule64Imm),
        O::Xuge64Imm { dst, a, b } => register!(dst, a, b, BrIfXuge64Imm, BrIfXult64Imm),
        O::Feq32 { dst, a, b } => register!(dst, a, b, BrIfFeq32),
        O::Fne32 { dst, a, b } => register!(dst, a, b, BrIfFne32),
        O::Flt32 { dst, a, b } => register!(dst, a, b, BrIfFlt32),
        O::Fle32 { dst, a, b } => register!(dst, a, b, BrIfFle32),
        O::Feq64 { dst, a, b } => register!(dst, a, b, BrIfFeq64),
        O::Fne64 { dst, a, b } => register!(dst, a, b, BrIfFne64),
        O::Flt64 { dst, a, b } => register!(dst, a, b, BrIfFlt64),
        O::Fle64 { dst, a, b } => register!(dst, a, b, BrIfFle64),
        _ => None,
    }
}
