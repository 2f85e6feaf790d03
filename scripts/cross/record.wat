;; The `host` module that runtime/tests/programs/mix.wat imports, for running
;; it from the command line (`--preload host=record.wat`): `record` sums
;; what it is given into an exported global.
(module
  (global (export "total") (mut i32) (i32.const 0))
  (func (export "record") (param i32)
    (global.set 0 (i32.add (global.get 0) (local.get 0)))))
