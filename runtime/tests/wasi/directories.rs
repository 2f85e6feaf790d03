//! Directories and links: listing with `fd_readdir`, creating, renaming and
//! removing, symbolic and hard links, and a fifo opened as a directory.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use pulley::wasi::Errno;

use crate::guest::abi::*;
use crate::guest::{DATA, OUT, PATH, PATH2, STAT, sandbox};

/// The entries of an `fd_readdir` result: `(next, type, name)`.
fn dirents(bytes: &[u8]) -> Vec<(u64, u8, String)> {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 24 <= bytes.len() {
        let next = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        let namlen = u32::from_le_bytes(bytes[at + 16..at + 20].try_into().unwrap()) as usize;
        let filetype = bytes[at + 20];
        let name = &bytes[at + 24..(at + 24 + namlen).min(bytes.len())];
        entries.push((next, filetype, String::from_utf8_lossy(name).into_owned()));
        at += 24 + namlen;
    }
    entries
}

#[test]
fn readdir_lists_entries_with_cookies() {
    let (_tmp, sandbox, mut guest) = sandbox("readdir");
    fs::write(sandbox.join("a"), b"").unwrap();
    fs::write(sandbox.join("bb"), b"").unwrap();
    fs::create_dir(sandbox.join("ccc")).unwrap();

    guest.ok("fd_readdir", &[3, DATA.into(), 4096, 0, OUT.into()]);
    let used = guest.u32(OUT);
    assert!(used < 4096);
    let mut entries = dirents(&guest.bytes(DATA, used as usize));
    assert_eq!(entries.len(), 5);
    assert_eq!(&entries[0].2, ".");
    assert_eq!(&entries[1].2, "..");
    for (i, entry) in entries.iter().enumerate() {
        assert_eq!(entry.0, i as u64 + 1, "cookies are positions");
    }
    entries.sort_by(|a, b| a.2.cmp(&b.2));
    let types: Vec<(u8, &str)> = entries.iter().map(|(_, t, n)| (*t, n.as_str())).collect();
    assert_eq!(
        types,
        [
            (FILETYPE_DIRECTORY, "."),
            (FILETYPE_DIRECTORY, ".."),
            (FILETYPE_REGULAR_FILE, "a"),
            (FILETYPE_REGULAR_FILE, "bb"),
            (FILETYPE_DIRECTORY, "ccc"),
        ]
    );

    // A small buffer fills up; continuing from each last complete entry's
    // cookie visits every entry once.
    let mut names = Vec::new();
    let mut cookie = 0u64;
    loop {
        guest.ok("fd_readdir", &[3, DATA.into(), 40, cookie, OUT.into()]);
        let used = guest.u32(OUT) as usize;
        let batch = dirents(&guest.bytes(DATA, used));
        let Some(first) = batch.first() else { break };
        // Keep only entries that fit whole.
        let complete = 24 + first.2.len() <= used;
        assert!(complete, "an entry of at most 27 bytes fits in 40");
        names.push(first.2.clone());
        cookie = first.0;
        if used < 40 && batch.len() == 1 {
            break;
        }
    }
    names.sort();
    assert_eq!(names, [".", "..", "a", "bb", "ccc"]);

    // Past the end: nothing.
    guest.ok("fd_readdir", &[3, DATA.into(), 4096, 5, OUT.into()]);
    assert_eq!(guest.u32(OUT), 0);
    // Only directories can be listed.
    assert_eq!(
        guest.errno("fd_readdir", &[1, DATA.into(), 4096, 0, OUT.into()]),
        Errno::Notdir
    );
}

#[test]
fn directories_rename_and_unlink() {
    let (_tmp, sandbox, mut guest) = sandbox("dirs");
    let (ptr, len) = guest.string(PATH, "d");
    guest.ok("path_create_directory", &[3, ptr, len]);
    assert!(sandbox.join("d").is_dir());
    assert_eq!(
        guest.errno("path_create_directory", &[3, ptr, len]),
        Errno::Exist
    );

    // Open the new directory and create a file through it.
    let (errno, dir) = guest.open(3, true, "d", O_DIRECTORY, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    guest.ok("fd_fdstat_get", &[dir.into(), STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize], FILETYPE_DIRECTORY);
    let (errno, file) = guest.open(dir, true, "inner.txt", O_CREAT, RIGHT_FD_WRITE, 0);
    assert_eq!(errno, Errno::Success);
    guest.fd_write(file, b"inside");
    assert_eq!(fs::read(sandbox.join("d/inner.txt")).unwrap(), b"inside");
    // A directory opened this way can be listed, synced and stamped.
    guest.ok(
        "fd_readdir",
        &[dir.into(), DATA.into(), 4096, 0, OUT.into()],
    );
    let names: Vec<String> = dirents(&guest.bytes(DATA, guest.u32(OUT) as usize))
        .into_iter()
        .map(|(_, _, name)| name)
        .collect();
    assert_eq!(names, [".", "..", "inner.txt"]);
    guest.ok("fd_sync", &[dir.into()]);
    guest.ok(
        "fd_filestat_set_times",
        &[dir.into(), 0, 3_000_000_000, 1 | 4],
    );
    assert_eq!(
        fs::metadata(sandbox.join("d")).unwrap().modified().unwrap(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(3)
    );
    let (ptr2, len2) = guest.string(PATH2, "d/inner.txt");
    guest.ok(
        "path_filestat_set_times",
        &[3, 1, ptr2, len2, 0, 5_000_000_000, 1 | 4],
    );
    assert_eq!(
        fs::metadata(sandbox.join("d/inner.txt"))
            .unwrap()
            .modified()
            .unwrap(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(5)
    );
    // Path functions need a directory descriptor.
    let (ptr2, len2) = guest.string(PATH2, "x");
    assert_eq!(
        guest.errno("path_create_directory", &[file.into(), ptr2, len2]),
        Errno::Notdir
    );
    assert_eq!(
        guest
            .open(3, true, "d/inner.txt", O_DIRECTORY, RIGHT_FD_READ, 0)
            .0,
        Errno::Notdir
    );
    assert_eq!(
        guest
            .open(3, true, "d", O_DIRECTORY | O_CREAT, RIGHT_FD_READ, 0)
            .0,
        Errno::Inval
    );
    assert_eq!(guest.open(3, true, "d", 0, READ_WRITE, 0).0, Errno::Isdir);

    // Not empty, then empty.
    assert_eq!(
        guest.errno("path_remove_directory", &[3, ptr, len]),
        Errno::Notempty
    );
    let (from, from_len) = guest.string(PATH, "d/inner.txt");
    let (to, to_len) = guest.string(PATH2, "moved.txt");
    guest.ok("path_rename", &[3, from, from_len, 3, to, to_len]);
    assert!(!sandbox.join("d/inner.txt").exists());
    assert_eq!(fs::read(sandbox.join("moved.txt")).unwrap(), b"inside");
    let (ptr, len) = guest.string(PATH, "d");
    guest.ok("path_remove_directory", &[3, ptr, len]);
    assert!(!sandbox.join("d").exists());
    assert_eq!(
        guest.errno("path_remove_directory", &[3, ptr, len]),
        Errno::Noent
    );

    // Unlink a file; unlinking a directory or a missing file fails.
    fs::create_dir(sandbox.join("e")).unwrap();
    let (ptr, len) = guest.string(PATH, "e");
    let errno = guest.errno("path_unlink_file", &[3, ptr, len]);
    assert!(matches!(errno, Errno::Isdir | Errno::Perm), "{errno:?}");
    let (ptr, len) = guest.string(PATH, "moved.txt");
    guest.ok("path_filestat_get", &[3, 1, ptr, len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_REGULAR_FILE);
    assert_eq!(guest.u64(STAT + 32), 6);
    guest.ok("path_unlink_file", &[3, ptr, len]);
    assert!(!sandbox.join("moved.txt").exists());
    assert_eq!(
        guest.errno("path_unlink_file", &[3, ptr, len]),
        Errno::Noent
    );
    assert_eq!(
        guest.errno("path_filestat_get", &[3, 1, ptr, len, STAT.into()]),
        Errno::Noent
    );
}

#[cfg(unix)]
#[test]
fn symlinks_and_hard_links() {
    let (_tmp, sandbox, mut guest) = sandbox("links");
    fs::write(sandbox.join("target.txt"), b"target").unwrap();
    let (target, target_len) = guest.string(PATH, "target.txt");
    let (link, link_len) = guest.string(PATH2, "link");
    guest.ok("path_symlink", &[target, target_len, 3, link, link_len]);
    assert_eq!(
        fs::read_link(sandbox.join("link")).unwrap(),
        Path::new("target.txt")
    );

    guest.ok(
        "path_readlink",
        &[3, link, link_len, DATA.into(), 100, OUT.into()],
    );
    assert_eq!(guest.u32(OUT), 10);
    assert_eq!(guest.bytes(DATA, 10), b"target.txt");
    // A short buffer gets the start of the target.
    guest.ok(
        "path_readlink",
        &[3, link, link_len, DATA.into(), 4, OUT.into()],
    );
    assert_eq!(guest.u32(OUT), 4);
    // Not a link.
    assert_eq!(
        guest.errno(
            "path_readlink",
            &[3, target, target_len, DATA.into(), 100, OUT.into()]
        ),
        Errno::Inval
    );

    // Followed, the link opens the target; not followed, it does not open.
    let (errno, fd) = guest.open(3, true, "link", 0, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    assert_eq!(guest.fd_read(fd, 100), b"target");
    assert_eq!(
        guest.open(3, false, "link", 0, RIGHT_FD_READ, 0).0,
        Errno::Loop
    );
    guest.ok("path_filestat_get", &[3, 0, link, link_len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_SYMBOLIC_LINK);
    guest.ok("path_filestat_get", &[3, 1, link, link_len, STAT.into()]);
    assert_eq!(guest.memory()[STAT as usize + 16], FILETYPE_REGULAR_FILE);

    // A hard link shares the file (`open` reused the path scratch area).
    let (target, target_len) = guest.string(PATH, "target.txt");
    let (hard, hard_len) = guest.string(PATH2, "hard");
    guest.ok("path_link", &[3, 0, target, target_len, 3, hard, hard_len]);
    assert_eq!(fs::read(sandbox.join("hard")).unwrap(), b"target");
    guest.ok("path_filestat_get", &[3, 0, hard, hard_len, STAT.into()]);
    assert_eq!(guest.u64(STAT + 24), 2, "nlink");
    assert_eq!(
        guest.errno("path_link", &[3, 1, target, target_len, 3, hard, hard_len]),
        Errno::Inval
    );

    // A relative link that stays inside, through `..`, is followed.
    fs::create_dir(sandbox.join("sub")).unwrap();
    let (target, target_len) = guest.string(PATH, "../target.txt");
    let (inner, inner_len) = guest.string(PATH2, "sub/up");
    guest.ok("path_symlink", &[target, target_len, 3, inner, inner_len]);
    let (errno, fd) = guest.open(3, true, "sub/up", 0, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Success);
    assert_eq!(guest.fd_read(fd, 100), b"target");

    // Unlinking the symbolic link leaves the target.
    let (link, link_len) = guest.string(PATH2, "link");
    guest.ok("path_unlink_file", &[3, link, link_len]);
    assert!(sandbox.join("target.txt").exists());
}

#[cfg(unix)]
#[test]
fn opening_a_fifo_as_a_directory_does_not_block() {
    let (_tmp, sandbox, mut guest) = sandbox("fifo");
    let fifo = sandbox.join("fifo");
    match std::process::Command::new("mkfifo").arg(&fifo).status() {
        Ok(status) if status.success() => {}
        _ => {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
    }
    // Without O_DIRECTORY this open would wait for a writer.
    let (errno, _) = guest.open(3, true, "fifo", O_DIRECTORY, RIGHT_FD_READ, 0);
    assert_eq!(errno, Errno::Notdir);
}
