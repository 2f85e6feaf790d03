;; Every trap: unreachable, division, conversion, memory and table bounds,
;; null and mismatched indirect calls.
(module
  (memory 1)
  (table 1 funcref)
  (type $v (func))
  (func $unreachable (export "unreachable") (unreachable))
  (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $convert (export "convert") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func $load (export "load") (param i32) (result i64) (i64.load (local.get 0)))
  (func $indirect (export "indirect") (param i32) (call_indirect (type $v) (local.get 0))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 unreachable (frame: 0 slots):
;;   0x0000: trap unreachable  ; wasm 0x70
;; function 1 divide (frame: 2 slots):
;;   0x0000: xdiv32_s r1, r0, r1  ; wasm 0x78
;;   0x0004: ret [r1]
;; function 2 convert (frame: 2 slots):
;;   0x0000: x32_from_f64_s r1, r0  ; wasm 0x7e
;;   0x0003: ret [r1]
;; function 3 load (frame: 2 slots):
;;   0x0000: load64 r1, r0, 0  ; wasm 0x84
;;   0x0007: ret [r1]
;; function 4 indirect (frame: 2 slots):
;;   0x0000: table_size r1, table0
;;   0x0008: br_if_xule32 r1, r0, 0x0025
;;   0x000f: table_get r1, table0, r0  ; wasm 0x8c
;;   0x0018: call_ref r1, type0, [], []  ; wasm 0x8c
;;   0x0022: ret []
;;   0x0025: trap table_out_of_bounds  ; wasm 0x8c
