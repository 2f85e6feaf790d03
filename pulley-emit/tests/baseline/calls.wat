;; Calls name their arguments where they are and their results' homes;
;; `call_indirect` takes the element first, and a tail call of an import is
;; a call and a return.
(module
  (import "host" "log" (func $log (param i32) (result i32)))
  (type $binary (func (param i32 i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $add)
  (func $add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "calls") (param $x i32) (result i32)
    (call $add (local.get $x) (i32.const 5))
    (call_indirect (type $binary) (local.get $x) (i32.const 1) (i32.const 0))
    (select (local.get $x)))
  (func (export "tail") (param $x i32) (result i32)
    (return_call $log (local.get $x))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0: 4 slots, 2 for parameters, 1 for results
;; 0x0000: xadd32 r2, r0, r1
;; 0x0004: ret [r2]
;; function 1: 5 slots, 1 for parameters, 1 for results
;; 0x0000: xconst8 r2, 5
;; 0x0003: call func0, [r0, r2], [r1]
;; 0x0012: xconst8 r4, 0
;; 0x0015: table_get r4, table0, r4
;; 0x001e: xconst8 r3, 1
;; 0x0021: call_ref r4, type0, [r0, r3], [r2]
;; 0x0031: xselect32 r1, r0, r1, r2
;; 0x0036: ret [r1]
;; function 2: 2 slots, 1 for parameters, 1 for results
;; 0x0000: call_import import0, [r0], [r1]
;; 0x000d: ret [r1]
