;; Linear-memory accesses fuse the bounds check, the address arithmetic and
;; the extension into one op; a constant address has an index of zero.
(module
  (memory 1)
  (func $copy_word (export "copy_word") (param $from i32) (param $to i32)
    (i64.store offset=8 (local.get $to) (i64.load offset=16 (local.get $from))))
  (func $bytes (export "bytes") (param i32) (result i32)
    (i32.add (i32.load8_s (local.get 0)) (i32.load16_u offset=2 (local.get 0))))
  (func $fixed (export "fixed") (result i32) (i32.load (i32.const 64)))
  (func $size (export "size") (result i32) (memory.size))
  (func $grow (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 copy_word (frame: 3 slots):
;;   0x0000: load64 r2, r0, 16  ; wasm 0x5c
;;   0x0007: store64 r1, 8, r2  ; wasm 0x5f
;;   0x000e: ret []
;; function 1 bytes (frame: 3 slots):
;;   0x0000: load8_s r1, r0, 0  ; wasm 0x67
;;   0x0007: load16_u r2, r0, 2  ; wasm 0x6c
;;   0x000e: xadd32 r2, r1, r2
;;   0x0012: ret [r2]
;; function 2 fixed (frame: 1 slots):
;;   0x0000: xconst8 r0, 0
;;   0x0003: load32_u r0, r0, 64  ; wasm 0x76
;;   0x000a: ret [r0]
;; function 3 size (frame: 2 slots):
;;   0x0000: memory_len r0
;;   0x0004: xshr64_u_imm r1, r0, 16
;;   0x0008: ret [r1]
;; function 4 grow (frame: 2 slots):
;;   0x0000: xconst8 r1, 0
;;   0x0003: call_builtin builtin0, [r1, r0], [r0]  ; wasm 0x83
;;   0x0014: ret [r0]
