;; A counting loop: the compare folds into a branch, the induction variable
;; needs no moves.
(module
  (func $sum (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s)))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0 sum (frame: 4 slots):
;;   0x0000: xconst8 r1, 0
;;   0x0003: mov r2, r1
;;   0x0006: br_if_xule32 r0, r2, 0x0020
;;   0x000d: xadd32_imm r3, r2, 1
;;   0x0014: xadd32 r1, r1, r2
;;   0x0018: mov r2, r3
;;   0x001b: jump 0x0006
;;   0x0020: ret [r1]
