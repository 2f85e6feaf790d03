;; br_table with a default, and targets passing values.
(module
  (func $classify (export "classify") (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
      (return (i32.const 30)))
    (i32.const 40))
  (func $select_value (export "select_value") (param i32 i32) (result i32)
    (block $out (result i32)
      (block $zero (result i32)
        (br_table $zero $out (local.get 1) (local.get 0)))
      (i32.const 1)
      (i32.add))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 classify (frame: 4 slots):
;;   0x0000: br_table r0, [0x0016, 0x001e, 0x0026, default 0x002e]
;;   0x0016: xconst8 r1, 10
;;   0x0019: ret [r1]
;;   0x001e: xconst8 r2, 20
;;   0x0021: ret [r2]
;;   0x0026: xconst8 r3, 30
;;   0x0029: ret [r3]
;;   0x002e: xconst8 r3, 40
;;   0x0031: ret [r3]
;; function 1 select_value (frame: 2 slots):
;;   0x0000: br_table r0, [0x000e, default 0x0015]
;;   0x000e: xadd32_imm r1, r1, 1
;;   0x0015: ret [r1]
