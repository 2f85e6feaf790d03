//! Sockets: `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`.
//!
//! Preview1 has no way to create a socket, and this implementation does not
//! pre-open any, so no descriptor is ever a socket: these answer `EBADF`
//! for a closed descriptor and `ENOTSOCK` for any open one, as Wasmtime
//! does.

use super::WasiCtx;
use super::errno::Errno;

impl WasiCtx {
    /// What every socket function answers for descriptor `fd`.
    pub(crate) fn sock(&self, fd: u32) -> Result<(), Errno> {
        self.fds.get(fd)?;
        Err(Errno::Notsock)
    }
}
