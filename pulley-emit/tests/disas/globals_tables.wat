;; Globals and tables: global get/set, table get/set/size with the bounds
;; check in the IR, ref.func and ref.is_null.
(module
  (global $counter (mut i32) (i32.const 0))
  (global $base i64 (i64.const 1000))
  (table $t 4 funcref)
  (func $tick (export "tick") (result i64)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (i64.add (global.get $base) (i64.extend_i32_u (global.get $counter))))
  (func $swap (export "swap") (param i32 i32)
    (local funcref)
    (local.set 2 (table.get $t (local.get 0)))
    (table.set $t (local.get 0) (table.get $t (local.get 1)))
    (table.set $t (local.get 1) (local.get 2)))
  (func $info (export "info") (result i32)
    (i32.add (table.size $t) (ref.is_null (ref.func $tick))))
  (elem declare func $tick))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 tick (frame: 5 slots):
;;   0x0000: global_get r0, global0
;;   0x0006: xadd32_imm r2, r0, 1
;;   0x000d: global_set global0, r2
;;   0x0013: global_get r1, global1
;;   0x0019: xadd32_imm r4, r0, 1
;;   0x0020: xzext32 r4, r4
;;   0x0023: xadd64 r3, r1, r4
;;   0x0027: ret [r3]
;; function 1 swap (frame: 6 slots):
;;   0x0000: table_size r3, table0
;;   0x0008: br_if_xule32 r3, r0, 0x0063
;;   0x000f: table_get r2, table0, r0  ; wasm 0x6a
;;   0x0018: table_size r4, table0
;;   0x0020: br_if_xule32 r4, r1, 0x0065
;;   0x0027: table_get r4, table0, r1  ; wasm 0x72
;;   0x0030: table_size r5, table0
;;   0x0038: br_if_xule32 r5, r0, 0x0067
;;   0x003f: table_set table0, r0, r4  ; wasm 0x74
;;   0x0048: table_size r5, table0
;;   0x0050: br_if_xule32 r5, r1, 0x0069
;;   0x0057: table_set table0, r1, r2  ; wasm 0x7a
;;   0x0060: ret []
;;   0x0063: trap table_out_of_bounds  ; wasm 0x6a
;;   0x0065: trap table_out_of_bounds  ; wasm 0x72
;;   0x0067: trap table_out_of_bounds  ; wasm 0x74
;;   0x0069: trap table_out_of_bounds  ; wasm 0x7a
;; function 2 info (frame: 3 slots):
;;   0x0000: table_size r0, table0
;;   0x0008: ref_func r2, funcref0
;;   0x0010: xeq64_imm r2, r2, 0
;;   0x0017: xadd32 r1, r0, r2
;;   0x001b: ret [r1]
