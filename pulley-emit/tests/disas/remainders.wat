;; Remainders by constants: Cranelift's optimizer turns `x % d` into a
;; multiply-high, shift, multiply and subtract (with an add and another
;; shift where the multiplier needs 33 bits, as for 7); selection proves the
;; magic number exact and gives back one `xrem`. Quotients keep the
;; multiply-high.
(module
  (func (export "rem32") (param i32) (result i32)
    (i32.rem_u (local.get 0) (i32.const 139968)))
  (func (export "rem64") (param i64) (result i64)
    (i64.rem_u (local.get 0) (i64.const 1000000007)))
  (func (export "rem7") (param i32) (result i32)
    (i32.rem_u (local.get 0) (i32.const 7)))
  (func (export "div32") (param i32) (result i32)
    (i32.div_u (local.get 0) (i32.const 139968)))
  (func (export "lcg") (param i32 i32) (result i32)
    (loop $l
      (local.set 0
        (i32.rem_u
          (i32.add (i32.mul (local.get 0) (i32.const 3877)) (i32.const 29573))
          (i32.const 139968)))
      (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    (local.get 0)))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 (frame: 3 slots):
;;   0x0000: xconst32 r2, 139968
;;   0x0006: xrem32_u r1, r0, r2  ; wasm 0x0
;;   0x000a: ret [r1]
;; function 1 (frame: 3 slots):
;;   0x0000: xconst32 r2, 1000000007
;;   0x0006: xrem64_u r1, r0, r2  ; wasm 0x0
;;   0x000a: ret [r1]
;; function 2 (frame: 3 slots):
;;   0x0000: xconst8 r2, 7
;;   0x0003: xrem32_u r1, r0, r2  ; wasm 0x0
;;   0x0007: ret [r1]
;; function 3 (frame: 3 slots):
;;   0x0000: xconst32 r2, 502748801
;;   0x0006: xmulhi32_u r1, r0, r2
;;   0x000c: xshr32_u_imm r1, r1, 14
;;   0x0010: ret [r1]
;; function 4 (frame: 5 slots):
;;   0x0000: xconst32 r2, 139968
;;   0x0006: xadd32_imm r1, r1, -1
;;   0x000d: xmul32_imm r4, r0, 3877
;;   0x0014: xadd32_imm r3, r4, 29573
;;   0x001b: xrem32_u r0, r3, r2  ; wasm 0x0
;;   0x001f: br_if32 r1, 0x0006
;;   0x0025: ret [r0]
