//! Values passed into and out of wasm.

use alloc::boxed::Box;
use core::any::Any;

pub use pulley_module::ValType;

use crate::func::Func;
use crate::store::{AsContext, AsContextMut, StoreId};

/// A WebAssembly value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`, as its bits (NaN payloads survive).
    F32(u32),
    /// An `f64`, as its bits.
    F64(u64),
    /// A function reference, or null.
    FuncRef(Option<Func>),
    /// An external reference, or null.
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero value of a type (null for references).
    pub fn default_for(ty: ValType) -> Option<Val> {
        Some(match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
            ValType::V128 => return None,
        })
    }

    /// The `i32`, if this is one.
    pub fn i32(&self) -> Option<i32> {
        match *self {
            Val::I32(v) => Some(v),
            _ => None,
        }
    }

    /// The `i64`, if this is one.
    pub fn i64(&self) -> Option<i64> {
        match *self {
            Val::I64(v) => Some(v),
            _ => None,
        }
    }

    /// The `f32`, if this is one.
    pub fn f32(&self) -> Option<f32> {
        match *self {
            Val::F32(v) => Some(f32::from_bits(v)),
            _ => None,
        }
    }

    /// The `f64`, if this is one.
    pub fn f64(&self) -> Option<f64> {
        match *self {
            Val::F64(v) => Some(f64::from_bits(v)),
            _ => None,
        }
    }

    /// The 64-bit slot representation the interpreter uses.
    pub(crate) fn to_raw(&self, store: StoreId) -> Result<u64, crate::Error> {
        let check = |owner: StoreId| {
            if owner == store {
                Ok(())
            } else {
                Err(crate::Error::Usage("a reference from another store".into()))
            }
        };
        Ok(match self {
            Val::I32(v) => u64::from(*v as u32),
            Val::I64(v) => *v as u64,
            Val::F32(v) => u64::from(*v),
            Val::F64(v) => *v,
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(func)) => {
                check(func.store)?;
                u64::from(func.index) + 1
            }
            Val::ExternRef(Some(reference)) => {
                check(reference.store)?;
                u64::from(reference.index) + 1
            }
        })
    }

    /// A value of type `ty` from its slot representation.
    pub(crate) fn from_raw(raw: u64, ty: ValType, store: StoreId) -> Val {
        match ty {
            ValType::I32 => Val::I32(raw as u32 as i32),
            ValType::I64 => Val::I64(raw as i64),
            ValType::F32 => Val::F32(raw as u32),
            ValType::F64 => Val::F64(raw),
            ValType::FuncRef => Val::FuncRef(raw.checked_sub(1).map(|index| Func {
                store,
                index: index as u32,
            })),
            ValType::ExternRef => Val::ExternRef(raw.checked_sub(1).map(|index| ExternRef {
                store,
                index: index as u32,
            })),
            ValType::V128 => Val::I64(raw as i64),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}

impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
}

impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::F64(v.to_bits())
    }
}

/// A reference to a host value, passed through wasm as `externref`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ExternRef {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
}

impl ExternRef {
    /// Puts `value` into the store and returns a reference to it.
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        value: impl Any + Send + Sync,
    ) -> ExternRef {
        let store = store.as_context_mut().0;
        store.inner.externs.push(Box::new(value));
        ExternRef {
            store: store.inner.id,
            index: (store.inner.externs.len() - 1) as u32,
        }
    }

    /// The host value, if `store` is the store it belongs to.
    pub fn data<'a, C: AsContext + 'a>(&self, store: &'a C) -> Option<&'a (dyn Any + Send + Sync)> {
        let store = store.as_context().0;
        if store.inner.id != self.store {
            return None;
        }
        store.inner.externs.get(self.index as usize).map(|b| &**b)
    }
}
