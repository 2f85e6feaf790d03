//! A function's ops and control flow, as the structural pass finds them:
//! each op's offset, and its successors (the next op unless it is a
//! terminator, and its branch targets). The semantic checks walk it.

use alloc::vec::Vec;

/// The ops of one function and the edges between them. Op numbers count
/// the function's ops in code order; buffers are reused across functions.
#[derive(Default)]
pub(super) struct OpGraph {
    /// Each op's offset, ascending.
    offsets: Vec<u32>,
    /// Whether each op can continue with the next one.
    falls_through: Vec<bool>,
    /// Each op's end in `targets`: op `i`'s targets are
    /// `targets[ends[i - 1]..ends[i]]`.
    ends: Vec<u32>,
    /// Branch targets: byte offsets while the function is decoded, op
    /// numbers once [`OpGraph::resolve_branches`] succeeded.
    targets: Vec<i64>,
}

impl OpGraph {
    /// Starts a function.
    pub(super) fn reset(&mut self) {
        self.offsets.clear();
        self.falls_through.clear();
        self.ends.clear();
        self.targets.clear();
    }

    /// Records a branch of the op being decoded to byte offset `target`.
    pub(super) fn add_branch(&mut self, target: i64) {
        self.targets.push(target);
    }

    /// Records the op at `at`, whose branches were just added.
    pub(super) fn end_op(&mut self, at: usize, falls_through: bool) {
        self.offsets.push(at as u32);
        self.falls_through.push(falls_through);
        self.ends.push(self.targets.len() as u32);
    }

    /// Turns branch offsets into op numbers. Fails with the branch's offset
    /// and target for a target that is no op of the function.
    pub(super) fn resolve_branches(&mut self) -> Result<(), (usize, i64)> {
        let mut first = 0;
        for (op, &end) in self.ends.iter().enumerate() {
            for target in &mut self.targets[first..end as usize] {
                let number = u32::try_from(*target)
                    .ok()
                    .and_then(|offset| self.offsets.binary_search(&offset).ok());
                match number {
                    Some(number) => *target = number as i64,
                    None => return Err((self.offsets[op] as usize, *target)),
                }
            }
            first = end as usize;
        }
        Ok(())
    }

    /// The number of ops.
    pub(super) fn len(&self) -> u32 {
        self.offsets.len() as u32
    }

    /// The byte offset of op `op`.
    pub(super) fn offset(&self, op: u32) -> usize {
        self.offsets[op as usize] as usize
    }

    /// Whether op `op` branches (has targets).
    pub(super) fn branches(&self, op: u32) -> bool {
        !self.branch_targets(op).is_empty()
    }

    /// Whether op `op` can continue with op `op + 1`.
    pub(super) fn falls_through(&self, op: u32) -> bool {
        self.falls_through[op as usize]
    }

    /// The successors of op `op`: the next op if it falls through, then its
    /// branch targets (possibly repeated).
    pub(super) fn successors(&self, op: u32) -> impl Iterator<Item = u32> + '_ {
        let next = self.falls_through(op).then_some(op + 1);
        next.into_iter()
            .chain(self.branch_targets(op).iter().map(|&target| target as u32))
    }

    /// Successor `i` of op `op`, in the order of [`OpGraph::successors`].
    pub(super) fn successor(&self, op: u32, i: usize) -> Option<u32> {
        let falls_through = self.falls_through(op);
        match i.checked_sub(usize::from(falls_through)) {
            None => Some(op + 1),
            Some(branch) => self
                .branch_targets(op)
                .get(branch)
                .map(|&target| target as u32),
        }
    }

    fn branch_targets(&self, op: u32) -> &[i64] {
        let end = self.ends[op as usize] as usize;
        let first = match op.checked_sub(1) {
            Some(previous) => self.ends[previous as usize] as usize,
            None => 0,
        };
        &self.targets[first..end]
    }
}
