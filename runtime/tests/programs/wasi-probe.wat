;; A WASI program for the CLI tests: prints its arguments, then its
;; environment, one per line, then the contents of `data.txt` in the first
;; pre-opened directory (if there is one), and exits with status 7.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0: counts; 16: an iovec; 32: the file name; 1024: pointer arrays;
  ;; 4096: string buffers; 32768: file contents.
  (data (i32.const 32) "data.txt")

  ;; Writes `len` bytes at `ptr` to standard output, NULs as newlines.
  (func $print_lines (param $ptr i32) (param $len i32)
    (local $i i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (i32.eqz (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
          (then (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.const 10))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (call $write (local.get $ptr) (local.get $len)))

  (func $write (param $ptr i32) (param $len i32)
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8))))

  (func (export "_start")
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 1024) (i32.const 4096)))
    (call $print_lines (i32.const 4096) (i32.load (i32.const 4)))
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $environ_get (i32.const 1024) (i32.const 4096)))
    (call $print_lines (i32.const 4096) (i32.load (i32.const 4)))
    ;; path_open(3, follow symlinks, "data.txt", no oflags, fd_read rights)
    (if (i32.eqz (call $path_open (i32.const 3) (i32.const 1) (i32.const 32) (i32.const 8)
                   (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 0)))
      (then
        (i32.store (i32.const 16) (i32.const 32768))
        (i32.store (i32.const 20) (i32.const 4096))
        (drop (call $fd_read (i32.load (i32.const 0)) (i32.const 16) (i32.const 1) (i32.const 8)))
        (call $write (i32.const 32768) (i32.load (i32.const 8)))))
    (call $proc_exit (i32.const 7))))
