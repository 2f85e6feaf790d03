;; A counting loop: `local.get` reads locals in place, constants become
;; immediates, and the loop's back edge is a `br_if`.
(module
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $next
      (local.set $sum (i32.add (local.get $sum) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum)))

;; ---- expected (regenerate with BLESS=1) ----
;; function 0: 5 slots, 1 for parameters, 1 for results
;; 0x0000: xconst8 r1, 0
;; 0x0003: xconst8 r2, 0
;; 0x0006: xadd32 r2, r2, r1
;; 0x000a: xadd32_imm r1, r1, 1
;; 0x0011: br_if_xult32 r1, r0, 0x0006
;; 0x0018: ret [r2]
