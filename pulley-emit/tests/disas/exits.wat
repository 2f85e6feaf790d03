;; Early exits: a constant passed only to the early return is materialized
;; on that path alone, and a jump to a short return block becomes a copy of
;; it.
(module
  (func $g (param i32) (result i32) (local.get 0))
  (func (export "early") (param i32) (result i32)
    (if (i32.lt_u (local.get 0) (i32.const 2))
      (then (return (i32.const 1))))
    (i32.add (call $g (local.get 0)) (i32.const 1)))
  (func (export "two_returns") (param i32 i32) (result i32)
    (local $r i32)
    (block $done
      (if (i32.eqz (local.get 0))
        (then
          (local.set $r (call $g (local.get 1)))
          (br $done)))
      (local.set $r (i32.mul (local.get 0) (local.get 1))))
    (i32.add (local.get $r) (i32.const 7))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 g (frame: 1 slots):
;;   0x0000: ret [r0]
;; function 1 (frame: 4 slots):
;;   0x0000: br_if_xuge32_imm r0, 2, 0x0012
;;   0x000a: xconst8 r1, 1
;;   0x000d: ret [r1]
;;   0x0012: call func0, [r0], [r2]  ; wasm 0x4c
;;   0x001f: xadd32_imm r3, r2, 1
;;   0x0026: ret [r3]
;; function 2 (frame: 4 slots):
;;   0x0000: br_if_xne32_imm r0, 0, 0x0023
;;   0x000a: call func0, [r1], [r2]  ; wasm 0x5f
;;   0x0017: xadd32_imm r3, r2, 7
;;   0x001e: ret [r3]
;;   0x0023: xmul32 r2, r0, r1
;;   0x0027: xadd32_imm r3, r2, 7
;;   0x002e: ret [r3]
