;; Values that cross block boundaries go to the homes of the frame's
;; results; a `br_table` whose targets need moves gets a stub per target.
(module
  (func (export "choose") (param $x i32) (param $y i32) (result i32)
    (block $outer (result i32)
      (block $inner (result i32)
        (br_table $outer $inner $outer (local.get $y) (local.get $x)))
      (i32.add (i32.const 100))))
  (func (export "max") (param $a i64) (param $b i64) (result i64)
    (if (result i64) (i64.gt_s (local.get $a) (local.get $b))
      (then (local.get $a))
      (else (local.get $b))))
  (func (export "multi") (param $x i32) (result i32 i32)
    (local.get $x)
    (block (param i32) (result i32 i32)
      (i32.const 7)
      (br_if 0 (local.get $x))
      (drop)
      (i32.const 8))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0: 4 slots, 2 for parameters, 1 for results
;; 0x0000: br_table r0, [0x0012, 0x001a, default 0x0022]
;; 0x0012: mov r2, r1
;; 0x0015: jump 0x0031
;; 0x001a: mov r2, r1
;; 0x001d: jump 0x002a
;; 0x0022: mov r2, r1
;; 0x0025: jump 0x0031
;; 0x002a: xadd32_imm r2, r2, 100
;; 0x0031: ret [r2]
;; function 1: 4 slots, 2 for parameters, 1 for results
;; 0x0000: br_if_xsle64 r0, r1, 0x000f
;; 0x0007: mov r2, r0
;; 0x000a: jump 0x0012
;; 0x000f: mov r2, r1
;; 0x0012: ret [r2]
;; function 2: 4 slots, 1 for parameters, 2 for results
;; 0x0000: mov r1, r0
;; 0x0003: br_if_not32 r0, 0x0011
;; 0x0009: xconst8 r2, 7
;; 0x000c: jump 0x0014
;; 0x0011: xconst8 r2, 8
;; 0x0014: ret [r1, r2]
