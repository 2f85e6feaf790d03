//! Values passed into and out of wasm, and the handles among them: function
//! references ([`Func`], whose calls are `crate::func`'s) and extern
//! references ([`ExternRef`]).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::any::Any;

pub use pulley_module::ValType;

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
    /// A `v128`: lane `i` of an `iNxM` view is bits `N*i..N*(i+1)`.
    V128(u128),
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
            Val::V128(_) => ValType::V128,
        }
    }

    /// The zero value of a type (null for references).
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
            ValType::V128 => Val::V128(0),
        }
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

    /// The `v128`, if this is one.
    pub fn v128(&self) -> Option<u128> {
        match *self {
            Val::V128(v) => Some(v),
            _ => None,
        }
    }

    /// Appends the value's frame slots: one, or two for a `v128` (bytes
    /// 0..8, then 8..16).
    pub(crate) fn push_slots(
        &self,
        store: StoreId,
        out: &mut Vec<u64>,
    ) -> Result<(), crate::Error> {
        let bits = self.to_bits(store)?;
        out.push(bits as u64);
        if let Val::V128(_) = self {
            out.push((bits >> 64) as u64);
        }
        Ok(())
    }

    /// A value of type `ty` from the next of `slots` (the next two for a
    /// `v128`); missing slots read as zero.
    pub(crate) fn from_slots(
        slots: &mut core::slice::Iter<'_, u64>,
        ty: ValType,
        store: StoreId,
    ) -> Val {
        let mut next = || u128::from(slots.next().copied().unwrap_or(0));
        let low = next();
        let bits = if ty == ValType::V128 {
            low | next() << 64
        } else {
            low
        };
        Val::from_bits(bits, ty, store)
    }

    /// The value's bits: a slot's 64 bits, or all 128 of a `v128`.
    pub(crate) fn to_bits(&self, store: StoreId) -> Result<u128, crate::Error> {
        let check = |owner: StoreId| {
            if owner == store {
                Ok(())
            } else {
                Err(crate::Error::from(crate::UsageError::ForeignStore {
                    what: "a reference",
                }))
            }
        };
        Ok(match self {
            Val::V128(v) => *v,
            Val::I32(v) => u128::from(*v as u32),
            Val::I64(v) => u128::from(*v as u64),
            Val::F32(v) => u128::from(*v),
            Val::F64(v) => u128::from(*v),
            Val::FuncRef(None) | Val::ExternRef(None) => 0,
            Val::FuncRef(Some(func)) => {
                check(func.store)?;
                u128::from(func.index) + 1
            }
            Val::ExternRef(Some(reference)) => {
                check(reference.store)?;
                u128::from(reference.index) + 1
            }
        })
    }

    /// A value of type `ty` from its bits (see [`to_bits`](Self::to_bits)).
    pub(crate) fn from_bits(bits: u128, ty: ValType, store: StoreId) -> Val {
        let raw = bits as u64;
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
            ValType::V128 => Val::V128(bits),
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

/// A function of a store: wasm or host. Call it with [`Func::call`] or
/// through [`Func::typed`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Func {
    pub(crate) store: StoreId,
    pub(crate) index: u32,
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
