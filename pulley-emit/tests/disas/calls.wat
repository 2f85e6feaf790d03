;; Direct and indirect calls with many arguments and multiple results.
(module
  (type $pair (func (param i32 i32 i32 i32 i32 i32) (result i32 i64)))
  (table 2 funcref)
  (elem (i32.const 0) $many)
  (func $many (type $pair)
    (i32.add (local.get 0) (local.get 5))
    (i64.extend_i32_u (i32.mul (local.get 1) (local.get 4))))
  (func $direct (export "direct") (param i32) (result i32 i64)
    (call $many (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (local.get 0)))
  (func $indirect (export "indirect") (param i32 i32) (result i32 i64)
    (call_indirect (type $pair)
      (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1) (local.get 1)
      (local.get 0))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 many (frame: 6 slots):
;;   0x0000: xadd32 r2, r0, r5
;;   0x0004: xmul32 r5, r1, r4
;;   0x0008: xzext32 r5, r5
;;   0x000b: ret [r2, r5]
;; function 1 direct (frame: 6 slots):
;;   0x0000: xconst8 r2, 1
;;   0x0003: xconst8 r3, 2
;;   0x0006: xconst8 r4, 3
;;   0x0009: xconst8 r5, 4
;;   0x000c: call func0, [r0, r2, r3, r4, r5, r0], [r0, r1]  ; wasm 0x6e
;;   0x0025: ret [r0, r1]
;; function 2 indirect (frame: 4 slots):
;;   0x0000: table_size r3, table0
;;   0x0008: br_if_xule32 r3, r0, 0x0039
;;   0x000f: table_get r2, table0, r0  ; wasm 0x81
;;   0x0018: call_ref r2, type0, [r1, r1, r1, r1, r1, r1], [r0, r1]  ; wasm 0x81
;;   0x0032: ret [r0, r1]
;;   0x0039: trap table_out_of_bounds  ; wasm 0x81
