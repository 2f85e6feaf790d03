;; Host-independent results that a 32-bit or big-endian host could get
;; wrong: byte order of memory, 64-bit arithmetic, float bits, bounds checks
;; near 4 GiB, SIMD lane order, traps. scripts/cross-test.sh compiles it for each flavour on
;; x86_64 and checks that the emulated host prints the same.
(module
  (memory 1 3)
  (data (i32.const 16) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11")
  (global $g64 (mut i64) (i64.const 0x0123456789abcdef))
  (global $gf64 (mut f64) (f64.const -1.5))
  (global $gf32 (mut f32) (f32.const 3.25))
  (table $t 4 funcref)
  (elem (i32.const 1) $inc $pair)
  (type $unary (func (param i32) (result i32)))
  (func $inc (type $unary) (i32.add (local.get 0) (i32.const 1)))
  (func $pair (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))

  ;; Mixes a value into a running hash (FNV-style, 64-bit).
  (func $mix (param $h i64) (param $v i64) (result i64)
    (i64.mul (i64.xor (local.get $h) (local.get $v)) (i64.const 0x100000001b3)))

  ;; Loads of every width and signedness, aligned and not, from the data
  ;; segment and from stores of every width: little-endian everywhere.
  (func (export "endian") (result i64)
    (local $h i64)
    (i64.store (i32.const 40) (i64.const 0x8877665544332211))
    (i32.store (i32.const 49) (i32.const 0xf1e2d3c4))
    (i32.store16 (i32.const 54) (i32.const 0xabcd))
    (i64.store8 (i32.const 57) (i64.const 0x1ff))
    (i64.store32 (i32.const 58) (i64.const 0x123456789))
    (f32.store (i32.const 63) (f32.const -2.5))
    (f64.store (i32.const 67) (f64.const 0x1.23456789abcdep-3))
    (local.set $h (i64.load (i32.const 16)))
    (local.set $h (call $mix (local.get $h) (i64.load offset=3 (i32.const 16))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i32.load (i32.const 17)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i32.load16_u (i32.const 19)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_s (i32.load16_s (i32.const 30)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_s (i32.load8_s (i32.const 44)))))
    (local.set $h (call $mix (local.get $h) (i64.load8_u (i32.const 47))))
    (local.set $h (call $mix (local.get $h) (i64.load16_s (i32.const 46))))
    (local.set $h (call $mix (local.get $h) (i64.load32_s (i32.const 44))))
    (local.set $h (call $mix (local.get $h) (i64.load32_u (i32.const 50))))
    (local.set $h (call $mix (local.get $h) (i64.load (i32.const 41))))
    (local.set $h (call $mix (local.get $h) (i64.load (i32.const 49))))
    (local.set $h (call $mix (local.get $h) (i64.load (i32.const 57))))
    (local.set $h (call $mix (local.get $h) (i64.reinterpret_f64 (f64.load (i32.const 67)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i32.reinterpret_f32 (f32.load (i32.const 63))))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i32.load (i32.const 65)))))
    (local.get $h))

  ;; Bulk memory: overlapping copies both ways, fill, then a checksum.
  (func (export "bulk") (result i64)
    (local $h i64) (local $i i32)
    (memory.copy (i32.const 18) (i32.const 16) (i32.const 9))
    (memory.copy (i32.const 100) (i32.const 20) (i32.const 7))
    (memory.copy (i32.const 98) (i32.const 100) (i32.const 7))
    (memory.fill (i32.const 120) (i32.const 0x1a5) (i32.const 5))
    (loop $next
      (local.set $h (call $mix (local.get $h) (i64.load (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 7)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 140))))
    (local.get $h))

  ;; 64-bit arithmetic, which 32-bit hosts do in pairs of words.
  (func (export "arith64") (param $a i64) (param $b i64) (result i64)
    (local $h i64)
    (local.set $h (call $mix (local.get $h) (i64.mul (local.get $a) (local.get $b))))
    (local.set $h (call $mix (local.get $h) (i64.div_u (local.get $a) (i64.or (local.get $b) (i64.const 1)))))
    (local.set $h (call $mix (local.get $h) (i64.rem_s (local.get $a) (i64.or (local.get $b) (i64.const 1)))))
    (local.set $h (call $mix (local.get $h) (i64.shl (local.get $a) (local.get $b))))
    (local.set $h (call $mix (local.get $h) (i64.shr_s (local.get $a) (local.get $b))))
    (local.set $h (call $mix (local.get $h) (i64.shr_u (local.get $a) (i64.const 63))))
    (local.set $h (call $mix (local.get $h) (i64.rotl (local.get $a) (local.get $b))))
    (local.set $h (call $mix (local.get $h) (i64.rotr (local.get $a) (i64.const 37))))
    (local.set $h (call $mix (local.get $h) (i64.clz (local.get $b))))
    (local.set $h (call $mix (local.get $h) (i64.ctz (local.get $a))))
    (local.set $h (call $mix (local.get $h) (i64.popcnt (local.get $a))))
    (local.set $h (call $mix (local.get $h) (i64.extend32_s (local.get $a))))
    (local.set $h (call $mix (local.get $h) (i64.extend16_s (local.get $b))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_s (i32.wrap_i64 (local.get $a)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i64.lt_s (local.get $a) (local.get $b)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i64.gt_u (local.get $a) (local.get $b)))))
    (local.set $h (call $mix (local.get $h) (i64.add (local.get $a) (i64.const 0xffffffff))))
    (local.set $h (call $mix (local.get $h) (i64.sub (local.get $b) (i64.const 0x100000000))))
    (local.get $h))

  ;; Floats, as bits (printing would hide signs of zero). The sign and payload
  ;; of a NaN that arithmetic produces are not deterministic in wasm (x86_64
  ;; makes negative NaNs, ARM positive ones): those results go through $c64
  ;; or $c32, which canonicalize NaNs.
  (func $c64 (param $v f64) (result i64)
    (if (result i64) (f64.ne (local.get $v) (local.get $v))
      (then (i64.const 0x7ff8000000000000))
      (else (i64.reinterpret_f64 (local.get $v)))))
  (func $c32 (param $v f32) (result i64)
    (if (result i64) (f32.ne (local.get $v) (local.get $v))
      (then (i64.const 0x7fc00000))
      (else (i64.extend_i32_u (i32.reinterpret_f32 (local.get $v))))))
  (func (export "floats") (param $x f64) (result i64)
    (local $h i64) (local $f f32)
    (local.set $f (f32.demote_f64 (local.get $x)))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.sqrt (f64.abs (local.get $x))))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.nearest (local.get $x)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.floor (local.get $x)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.ceil (local.get $x)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.trunc (local.get $x)))))
    (local.set $h (call $mix (local.get $h) (i64.reinterpret_f64 (f64.copysign (f64.const 2) (local.get $x)))))
    ;; Sign operations are exact, NaNs included.
    (local.set $h (call $mix (local.get $h) (i64.reinterpret_f64 (f64.neg (local.get $x)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i32.reinterpret_f32 (f32.abs (f32.neg (local.get $f)))))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.min (local.get $x) (f64.const -0)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.max (local.get $x) (f64.const 0)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.div (local.get $x) (f64.const 3)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.mul (local.get $x) (global.get $gf64)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.promote_f32 (local.get $f)))))
    (local.set $h (call $mix (local.get $h) (call $c32 (f32.mul (local.get $f) (global.get $gf32)))))
    (local.set $h (call $mix (local.get $h) (call $c32 (f32.nearest (local.get $f)))))
    (local.set $h (call $mix (local.get $h) (call $c32 (f32.sqrt (local.get $f)))))
    (local.set $h (call $mix (local.get $h) (i64.trunc_sat_f64_s (local.get $x))))
    (local.set $h (call $mix (local.get $h) (i64.trunc_sat_f64_u (local.get $x))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_s (i32.trunc_sat_f32_s (local.get $f)))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (i32.trunc_sat_f64_u (local.get $x)))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.convert_i64_u (i64.reinterpret_f64 (local.get $x))))))
    (local.set $h (call $mix (local.get $h) (call $c32 (f32.convert_i64_u (i64.reinterpret_f64 (local.get $x))))))
    (local.set $h (call $mix (local.get $h) (call $c64 (f64.convert_i64_s (i64.trunc_sat_f64_s (local.get $x))))))
    (local.set $h (call $mix (local.get $h) (i64.extend_i32_u (f64.lt (local.get $x) (f64.const 1)))))
    (local.get $h))

  ;; Truncation that traps out of range.
  (func (export "trunc") (param $x f64) (result i64) (i64.trunc_f64_s (local.get $x)))

  ;; Globals of every numeric type, mutated.
  (func (export "globals") (result i64)
    (global.set $g64 (i64.rotl (global.get $g64) (i64.const 12)))
    (global.set $gf64 (f64.mul (global.get $gf64) (f64.const 3)))
    (global.set $gf32 (f32.neg (global.get $gf32)))
    (call $mix
      (call $mix (global.get $g64) (i64.reinterpret_f64 (global.get $gf64)))
      (i64.extend_i32_u (i32.reinterpret_f32 (global.get $gf32)))))

  ;; Growth: the new page is zeroed, usable and bounds-checked.
  (func (export "grow") (result i64)
    (local $old i32)
    (local.set $old (memory.grow (i32.const 1)))
    (i64.store (i32.const 131064) (i64.const -2))
    (call $mix
      (call $mix (i64.extend_i32_u (local.get $old)) (i64.extend_i32_u (memory.size)))
      (i64.add (i64.load (i32.const 131064)) (i64.load (i32.const 131056)))))

  ;; Failed growth beyond the maximum.
  (func (export "grow_too_far") (result i32) (memory.grow (i32.const 3)))

  ;; A bounds-checked load at any address: near 4 GiB the effective
  ;; address must not wrap on a 32-bit host.
  (func (export "load") (param $addr i32) (result i32) (i32.load (local.get $addr)))
  (func (export "load_offset") (param $addr i32) (result i64)
    (i64.load offset=0xfffffff8 (local.get $addr)))
  (func (export "store_last") (param $addr i32) (result i32)
    (i32.store8 (local.get $addr) (i32.const 7))
    (i32.load8_u (local.get $addr)))

  (func (export "div") (param $a i32) (param $b i32) (result i32) (i32.div_s (local.get $a) (local.get $b)))
  (func (export "rem64") (param $a i64) (param $b i64) (result i64) (i64.rem_u (local.get $a) (local.get $b)))

  ;; Indirect calls: 1 is fine, 2 has the wrong type, 0 is null, 9 is
  ;; out of bounds.
  (func (export "indirect") (param $i i32) (result i32)
    (call_indirect (type $unary) (i32.const 41) (local.get $i)))

  ;; SIMD lane order: vectors loaded from memory and a global, lanes of
  ;; every width rearranged, extracted, stored back and hashed; returns a
  ;; vector, a lane and the hash. `$n` picks lanes and shift counts.
  (global $gv (mut v128) (v128.const i32x4 0x01020304 0x05060708 0x090a0b0c 0x0d0e0f10))
  (func (export "simd") (param $n i32) (result v128 i32 i64)
    (local $v v128) (local $w v128)
    (local.set $v (v128.load offset=16 (i32.const 0)))
    (local.set $w (i8x16.shuffle 15 0 14 1 13 2 12 3 31 16 30 17 29 18 28 19
      (local.get $v) (global.get $gv)))
    (local.set $w (i16x8.add (local.get $w) (i16x8.splat (local.get $n))))
    (local.set $w (i32x4.shl (local.get $w) (local.get $n)))
    (local.set $w (i64x2.sub (local.get $w) (v128.load64_splat offset=17 (i32.const 0))))
    (local.set $w (i8x16.swizzle (local.get $w)
      (i8x16.add (v128.const i8x16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0)
        (i8x16.splat (local.get $n)))))
    (global.set $gv (i32x4.replace_lane 2 (local.get $w) (i32.const -7)))
    (v128.store offset=200 (i32.const 0) (global.get $gv))
    (v128.store8_lane offset=216 3 (i32.const 0) (local.get $v))
    (global.get $gv)
    (i32.add
      (i8x16.extract_lane_s 5 (local.get $w))
      (i16x8.extract_lane_u 7 (i16x8.narrow_i32x4_s (local.get $w) (local.get $v))))
    (i64.xor
      (i64.load offset=200 (i32.const 0))
      (i64.xor (i64.load offset=208 (i32.const 0)) (i64.load offset=216 (i32.const 0)))))

  ;; Unbounded recursion: a stack-overflow trap, never a host crash.
  (func $deep (export "deep") (param $n i64) (result i64)
    (i64.add (call $deep (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))
)
