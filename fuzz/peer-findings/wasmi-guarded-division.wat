;; wasmi 2.0.0 traps with "integer divide by zero" calling export "" with 0;
;; Wasmtime 48 (Cranelift) and Pulley return (null, null). Every divisor is
;; guarded by a select that replaces zero with one. Reduced from a
;; wasm-smith case by line deletion (fuzz/src/bin/diff.rs --replay).
(module
  (type (;0;) (func (param funcref) (result i32)))
  (type (;1;) (func (param i64) (result externref funcref)))
  (memory (;0;) 1)
  (global (;0;) i64 i64.const 5106909129533096335)
  (global (;1;) (mut i64) i64.const -7624205232686118363)
  (global (;2;) (mut i64) i64.const -415441096824112731)
  (global (;3;) (mut i64) i64.const -7642073680005954251)
  (global (;4;) (mut i64) i64.const -8751930062942763121)
  (global (;5;) (mut i64) i64.const 0)
  (global (;6;) (mut i32) i32.const 1000)
  (export "" (func 0))
  (func (;0;) (type 1) (param i64) (result externref funcref)
    (local funcref funcref i64 i32 i64 i32 i64 i64 i64 i32 i64 i32 i64 i32 i64 i32 i64 i32 i64 i32 i32 i32 i64 i32 i32 i32 i64 i32 i32 i32 i32 i32 i64 i32 i64 i32 i32 i32 i64)
    global.get 6
    if ;; label = @1
    end
    block ;; label = @1
      block ;; label = @2
      end
      i64.const 0
      local.set 7
    end
    local.get 7
    global.get 2
    local.get 8
    local.get 8
    i64.eqz
    select
    local.set 8
    local.set 9
    i64.const -2225372892527847779
    memory.size
    if ;; label = @1
      local.get 12
      i32.const 0
      i32.le_s
      if ;; label = @2
        local.get 12
        local.get 13
        i64.store16 offset=21503 align=1
      end
    end
    memory.size
    local.set 14
    block ;; label = @1
      block ;; label = @2
      end
    end
    local.get 15
    i64.or
    memory.size
    local.set 16
    block ;; label = @1
      block ;; label = @2
      end
    end
    local.get 17
    i64.ne
    local.set 18
    block ;; label = @1
      block ;; label = @2
      end
      i64.const 0
      local.set 19
    end
    local.get 19
    local.get 2
    local.set 1
    local.set 0
    local.get 0
    global.get 1
    i64.const 8559465120375472443
    i64.le_s
    i32.const 65535
    local.set 20
    block ;; label = @1
      block ;; label = @2
      end
    end
    local.get 23
    i64.eqz
    global.get 0
    i64.eqz
    local.set 24
    local.set 25
    block ;; label = @1
      block ;; label = @2
      end
    end
    local.get 25
    i32.rotr
    local.set 26
    block ;; label = @1
      block ;; label = @2
      end
      i64.const 0
      local.set 27
    end
    i64.const -1125899906842624
    i64.eq
    block ;; label = @1
      block ;; label = @2
      end
      i32.const 0
      local.set 29
    end
    local.set 30
    block ;; label = @1
      block ;; label = @2
      end
      i64.const 0
      local.set 35
    end
    local.get 35
    global.get 0
    i64.mul
    i64.eqz
    i32.const 1
    local.get 36
    local.get 36
    i32.eqz
    select
    local.set 36
    local.set 37
    block ;; label = @1
      block ;; label = @2
      end
    end
    local.get 37
    local.get 36
    i32.rem_s
    local.set 38
    block ;; label = @1
      block ;; label = @2
      end
    end
    local.get 39
    global.set 5
    ref.null extern
    ref.null func
  )
)