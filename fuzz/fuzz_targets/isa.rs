//! Decoding arbitrary bytes never panics, and every decoded op encodes back
//! to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for decoded in pulley_isa::decode_all(data) {
        let Ok((at, op)) = decoded else { break };
        let mut again = Vec::new();
        op.encode(&mut again).expect("decoded ops encode");
        assert_eq!(&data[at..at + again.len()], &again[..]);
    }
});
