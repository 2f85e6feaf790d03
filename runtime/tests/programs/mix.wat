;; A small program touching most of what an artifact carries: imports,
;; memory with data, globals, a table with elements, indirect calls, loops,
;; br_table, traps.
(module $mix
  (import "host" "record" (func $record (param i32)))
  (memory (export "memory") 1 4)
  (data (i32.const 64) "\05\03\09\01\07\02\08\06\04\00")
  (global $calls (mut i32) (i32.const 0))
  (global $seed i64 (i64.const 0x2545F4914F6CDD1D))
  (table 4 funcref)
  (elem (i32.const 0) $add $sub $mul $div)
  (type $binary (func (param i32 i32) (result i32)))

  (func $add (type $binary) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binary) (i32.sub (local.get 0) (local.get 1)))
  (func $mul (type $binary) (i32.mul (local.get 0) (local.get 1)))
  (func $div (type $binary) (i32.div_s (local.get 0) (local.get 1)))

  ;; Applies operation `op` (an index into the table) to `a` and `b`.
  (func (export "apply") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call_indirect (type $binary) (local.get $a) (local.get $b) (local.get $op)))

  ;; Insertion sort of the 10 bytes at 64; returns their checksum.
  (func (export "sort") (result i32)
    (local $i i32) (local $j i32) (local $key i32) (local $sum i32)
    (local.set $i (i32.const 1))
    (loop $outer
      (local.set $key (i32.load8_u offset=64 (local.get $i)))
      (local.set $j (local.get $i))
      (block $placed
        (loop $inner
          (br_if $placed (i32.eqz (local.get $j)))
          (br_if $placed (i32.le_u
            (i32.load8_u offset=63 (local.get $j)) (local.get $key)))
          (i32.store8 offset=64 (local.get $j) (i32.load8_u offset=63 (local.get $j)))
          (local.set $j (i32.sub (local.get $j) (i32.const 1)))
          (br $inner)))
      (i32.store8 offset=64 (local.get $j) (local.get $key))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 10))))
    (local.set $i (i32.const 0))
    (loop $sum
      (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 31))
                               (i32.load8_u offset=64 (local.get $i))))
      (call $record (i32.load8_u offset=64 (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $i) (i32.const 10))))
    (local.get $sum))

  ;; xorshift64, n rounds from the seed.
  (func (export "random") (param $n i32) (result i64)
    (local $x i64)
    (local.set $x (global.get $seed))
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
        (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
        (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $x))

  ;; A small dispatch through br_table.
  (func (export "classify") (param $x i32) (result i32)
    (block $big (block $two (block $one (block $zero
      (br_table $zero $one $two $big (local.get $x)))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const 103))

  (func (export "calls") (result i32) (global.get $calls))
)
