//! Functions: calling wasm, defining host functions, typed calls.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::marker::PhantomData;

use pulley_module::{FuncType, ValType};

use crate::exec::invoke;
use crate::store::{AsContext, AsContextMut, Caller, FuncKind, HostFunc, StoreId};
use crate::values::{Func, Val};
use crate::{Error, Result, Trap, UsageError};

/// A host function not yet in a store: its type and implementation.
pub struct HostFuncDef<T> {
    pub(crate) ty: Arc<FuncType>,
    pub(crate) func: HostFunc<T>,
}

impl<T> Clone for HostFuncDef<T> {
    fn clone(&self) -> Self {
        HostFuncDef {
            ty: self.ty.clone(),
            func: self.func.clone(),
        }
    }
}

impl<T> HostFuncDef<T> {
    /// A host function of type `ty` over dynamically typed values: its
    /// parameters arrive as [`Val`]s, and its results, which start as zeros
    /// of their types, must keep those types.
    pub(crate) fn dynamic(
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> HostFuncDef<T> {
        let ty = Arc::new(ty);
        let types = Arc::clone(&ty);
        let call = move |caller: Caller<'_, T>, args: &[u64], raw: &mut Vec<u64>| {
            let id = caller.store.inner.id;
            let mut slots = args.iter();
            let params: Vec<Val> = types
                .params
                .iter()
                .map(|&t| Val::from_slots(&mut slots, t, id))
                .collect();
            let mut results: Vec<Val> =
                types.results.iter().map(|&t| Val::default_for(t)).collect();
            func(caller, &params, &mut results)?;
            push_checked(&results, &types.results, id, raw, |value, expected| {
                UsageError::HostResultType { value, expected }
            })
        };
        HostFuncDef {
            ty,
            func: HostFunc {
                call: Arc::new(call),
            },
        }
    }

    /// A host function of type `ty` made from a typed closure, which takes
    /// and returns numbers (`WasmTy`) only.
    fn typed(
        ty: FuncType,
        call: impl Fn(Caller<'_, T>, &[u64], &mut Vec<u64>) -> Result<()> + Send + Sync + 'static,
    ) -> HostFuncDef<T> {
        // `WasmTy` is public: a type of the embedder's could claim a
        // reference or vector type, whose slots a typed closure must not
        // forge.
        let numbers = |types: &[ValType]| {
            types
                .iter()
                .all(|t| matches!(t, ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64))
        };
        let numeric = numbers(&ty.params) && numbers(&ty.results);
        let checked = move |caller: Caller<'_, T>, args: &[u64], raw: &mut Vec<u64>| {
            if !numeric {
                return Err(UsageError::TypedReferenceResult.into());
            }
            call(caller, args, raw)
        };
        HostFuncDef {
            ty: Arc::new(ty),
            func: HostFunc {
                call: Arc::new(checked),
            },
        }
    }

    /// Adds the function to a store.
    pub(crate) fn instantiate(&self, store: &mut crate::Store<T>) -> Func {
        store.hosts.push(self.func.clone());
        let host = (store.hosts.len() - 1) as u32;
        let index = store
            .inner
            .push_func(FuncKind::Host { host }, self.ty.clone());
        Func {
            store: store.inner.id,
            index,
        }
    }
}

impl Func {
    /// A host function of type `ty`: `func` reads `params` and writes
    /// `results` (which arrive holding zeros of the right types).
    pub fn new<T>(
        mut store: impl AsContextMut<Data = T>,
        ty: FuncType,
        func: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Func {
        let store = store.as_context_mut().0;
        HostFuncDef::dynamic(ty, func).instantiate(store)
    }

    /// A host function from a Rust closure whose parameters and results are
    /// wasm types (`i32`, `i64`, `u32`, `u64`, `f32`, `f64`), optionally taking
    /// a [`Caller`] first and returning a `Result`.
    ///
    /// ```
    /// # use pulley::*;
    /// let mut store = Store::new(&Engine::default(), 0u32);
    /// let add = Func::wrap(&mut store, |mut caller: Caller<'_, u32>, a: i32, b: i32| {
    ///     *caller.data_mut() += 1;
    ///     a + b
    /// });
    /// let typed = add.typed::<(i32, i32), i32>(&store).unwrap();
    /// assert_eq!(typed.call(&mut store, (2, 3)).unwrap(), 5);
    /// assert_eq!(*store.data(), 1);
    /// ```
    pub fn wrap<T, Params, Results>(
        mut store: impl AsContextMut<Data = T>,
        func: impl IntoFunc<T, Params, Results>,
    ) -> Func {
        let store = store.as_context_mut().0;
        func.into_def().instantiate(store)
    }

    /// The function's type.
    pub fn ty(&self, store: impl AsContext) -> FuncType {
        let store = store.as_context().0;
        store
            .inner
            .funcs
            .get(self.index)
            .map(|f| (*f.ty).clone())
            .unwrap_or_default()
    }

    /// Calls the function with `params`, writing `results`.
    pub fn call<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let store = store.as_context_mut().0;
        store.inner.check(self.store)?;
        // A `Func` names an entry of its store: those are never removed,
        // and handles from bytecode are verified references. Checked anyway,
        // so that a bad index is an error, never a panic.
        let ty = store
            .inner
            .funcs
            .get(self.index)
            .ok_or(UsageError::NoSuchFunction)?
            .ty
            .clone();
        if params.len() != ty.params.len() || results.len() != ty.results.len() {
            return Err(UsageError::ValueCount {
                params: ty.params.len(),
                results: ty.results.len(),
                given: params.len(),
                room: results.len(),
            }
            .into());
        }
        let mut raw = Vec::with_capacity(params.len());
        push_checked(
            params,
            &ty.params,
            store.inner.id,
            &mut raw,
            |value, expected| UsageError::ArgumentType { value, expected },
        )?;
        let values = invoke(store, self.index, &raw, None)?;
        if values.len() != ValType::total_slots(&ty.results) as usize {
            return Err(result_count_mismatch(&ty.results, values.len()));
        }
        let mut slots = values.iter();
        for (slot, &ty) in results.iter_mut().zip(&ty.results) {
            *slot = Val::from_slots(&mut slots, ty, store.inner.id);
        }
        Ok(())
    }

    /// A typed view of the function; fails if the types differ.
    pub fn typed<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
    ) -> Result<TypedFunc<Params, Results>> {
        let ty = self.ty(store);
        if ty.params != Params::types() || ty.results != Results::types() {
            return Err(UsageError::FunctionType {
                params: ty.params.clone(),
                results: ty.results.clone(),
                wanted_params: Params::types(),
                wanted_results: Results::types(),
            }
            .into());
        }
        Ok(TypedFunc {
            func: *self,
            _types: PhantomData,
        })
    }
}

/// A function with statically known parameter and result types.
pub struct TypedFunc<Params, Results> {
    func: Func,
    _types: PhantomData<fn(Params) -> Results>,
}

impl<Params, Results> Clone for TypedFunc<Params, Results> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Params, Results> Copy for TypedFunc<Params, Results> {}

impl<Params: WasmParams, Results: WasmResults> TypedFunc<Params, Results> {
    /// Calls the function.
    pub fn call<T>(
        &self,
        mut store: impl AsContextMut<Data = T>,
        params: Params,
    ) -> Result<Results> {
        let store = store.as_context_mut().0;
        store.inner.check(self.func.store)?;
        let mut raw = Vec::new();
        params.to_raw(&mut raw);
        let values = invoke(store, self.func.index, &raw, None)?;
        Results::from_raw(&values)
            .ok_or_else(|| result_count_mismatch(&Results::types(), values.len()))
    }

    /// The untyped function.
    pub fn func(&self) -> Func {
        self.func
    }
}

/// A Rust type that is a wasm value type.
pub trait WasmTy: Sized + 'static {
    /// Its wasm type.
    const TYPE: ValType;
    /// Its slot representation.
    fn to_raw(self) -> u64;
    /// From its slot representation.
    fn from_raw(raw: u64) -> Self;
}

macro_rules! wasm_types {
    ($($ty:ty => $val:ident, |$v:ident| $to:expr, |$r:ident| $from:expr;)*) => {$(
        impl WasmTy for $ty {
            const TYPE: ValType = ValType::$val;
            fn to_raw(self) -> u64 {
                let $v = self;
                $to
            }
            fn from_raw($r: u64) -> Self {
                $from
            }
        }
    )*};
}

wasm_types! {
    i32 => I32, |v| u64::from(v as u32), |r| r as u32 as i32;
    u32 => I32, |v| u64::from(v), |r| r as u32;
    i64 => I64, |v| v as u64, |r| r as i64;
    u64 => I64, |v| v, |r| r;
    f32 => F32, |v| u64::from(v.to_bits()), |r| f32::from_bits(r as u32);
    f64 => F64, |v| v.to_bits(), |r| f64::from_bits(r);
}

/// Parameters of a typed call: a wasm type or a tuple of them.
pub trait WasmParams {
    /// The wasm types.
    fn types() -> Vec<ValType>;
    /// Appends the slot representations.
    fn to_raw(self, out: &mut Vec<u64>);
}

/// Results of a typed call: a wasm type or a tuple of them.
pub trait WasmResults: Sized {
    /// The wasm types.
    fn types() -> Vec<ValType>;
    /// From the slot representations; `None` on a count mismatch.
    fn from_raw(raw: &[u64]) -> Option<Self>;
}

impl<A: WasmTy> WasmParams for A {
    fn types() -> Vec<ValType> {
        alloc::vec![A::TYPE]
    }
    fn to_raw(self, out: &mut Vec<u64>) {
        out.push(WasmTy::to_raw(self));
    }
}

impl<A: WasmTy> WasmResults for A {
    fn types() -> Vec<ValType> {
        alloc::vec![A::TYPE]
    }
    fn from_raw(raw: &[u64]) -> Option<Self> {
        match raw {
            [value] => Some(A::from_raw(*value)),
            _ => None,
        }
    }
}

macro_rules! tuples {
    ($(($($t:ident),*);)*) => {$(
        #[allow(non_snake_case, unused_mut, unused_variables)]
        impl<$($t: WasmTy),*> WasmParams for ($($t,)*) {
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::TYPE),*]
            }
            fn to_raw(self, out: &mut Vec<u64>) {
                let ($($t,)*) = self;
                $( out.push(WasmTy::to_raw($t)); )*
            }
        }

        #[allow(non_snake_case, unused_mut, unused_variables, unused_assignments)]
        impl<$($t: WasmTy),*> WasmResults for ($($t,)*) {
            fn types() -> Vec<ValType> {
                alloc::vec![$($t::TYPE),*]
            }
            fn from_raw(raw: &[u64]) -> Option<Self> {
                let mut values = raw.iter();
                let result = ($($t::from_raw(*values.next()?),)*);
                values.next().is_none().then_some(result)
            }
        }
    )*};
}

tuples! {
    ();
    (A1);
    (A1, A2);
    (A1, A2, A3);
    (A1, A2, A3, A4);
    (A1, A2, A3, A4, A5);
    (A1, A2, A3, A4, A5, A6);
    (A1, A2, A3, A4, A5, A6, A7);
    (A1, A2, A3, A4, A5, A6, A7, A8);
}

/// What a host closure may return: results, or a `Result` of them.
pub trait HostResult {
    /// The result types.
    type Results: WasmResults + WasmParams;
    /// The results, or the error to raise.
    fn into_results(self) -> Result<Self::Results>;
}

impl<R: WasmResults + WasmParams> HostResult for R {
    type Results = R;
    fn into_results(self) -> Result<R> {
        Ok(self)
    }
}

impl<R: WasmResults + WasmParams> HostResult for Result<R> {
    type Results = R;
    fn into_results(self) -> Result<R> {
        self
    }
}

impl<R: WasmResults + WasmParams> HostResult for core::result::Result<R, Trap> {
    type Results = R;
    fn into_results(self) -> Result<R> {
        self.map_err(Error::Trap)
    }
}

/// A Rust closure that can become a host function (see [`Func::wrap`]).
pub trait IntoFunc<T, Params, Results>: Send + Sync + 'static {
    #[doc(hidden)]
    fn into_def(self) -> HostFuncDef<T>;
}

/// Marks closures that take a [`Caller`] first.
pub struct WithCaller<Params>(PhantomData<Params>);

macro_rules! into_func {
    ($(($($p:ident),*);)*) => {$(
        #[allow(non_snake_case)]
        impl<T: 'static, F, R, $($p: WasmTy),*> IntoFunc<T, ($($p,)*), R> for F
        where
            F: Fn($($p),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_def(self) -> HostFuncDef<T> {
                let ty = FuncType { params: alloc::vec![$($p::TYPE),*], results: <R::Results as WasmResults>::types() };
                let call = move |_caller: Caller<'_, T>, params: &[u64], results: &mut Vec<u64>| -> Result<()> {
                    #[allow(unused_mut, unused_variables)]
                    let mut raw = params.iter().copied();
                    let ($($p,)*) = ($($p::from_raw(raw.next().unwrap_or(0)),)*);
                    WasmParams::to_raw(self($($p),*).into_results()?, results);
                    Ok(())
                };
                HostFuncDef::typed(ty, call)
            }
        }

        #[allow(non_snake_case)]
        impl<T: 'static, F, R, $($p: WasmTy),*> IntoFunc<T, WithCaller<($($p,)*)>, R> for F
        where
            F: Fn(Caller<'_, T>, $($p),*) -> R + Send + Sync + 'static,
            R: HostResult,
        {
            fn into_def(self) -> HostFuncDef<T> {
                let ty = FuncType { params: alloc::vec![$($p::TYPE),*], results: <R::Results as WasmResults>::types() };
                let call = move |caller: Caller<'_, T>, params: &[u64], results: &mut Vec<u64>| -> Result<()> {
                    #[allow(unused_mut, unused_variables)]
                    let mut raw = params.iter().copied();
                    let ($($p,)*) = ($($p::from_raw(raw.next().unwrap_or(0)),)*);
                    WasmParams::to_raw(self(caller, $($p),*).into_results()?, results);
                    Ok(())
                };
                HostFuncDef::typed(ty, call)
            }
        }
    )*};
}

into_func! {
    ();
    (A1);
    (A1, A2);
    (A1, A2, A3);
    (A1, A2, A3, A4);
    (A1, A2, A3, A4, A5);
    (A1, A2, A3, A4, A5, A6);
    (A1, A2, A3, A4, A5, A6, A7);
    (A1, A2, A3, A4, A5, A6, A7, A8);
}

/// Appends the slots of `values` of store `id` to `out`, each checked to be
/// of its type in `types`; `mismatch` makes the error for one that is not.
fn push_checked(
    values: &[Val],
    types: &[ValType],
    id: StoreId,
    out: &mut Vec<u64>,
    mismatch: impl Fn(Val, ValType) -> UsageError,
) -> Result<()> {
    for (value, &expected) in values.iter().zip(types) {
        if value.ty() != expected {
            return Err(mismatch(value.clone(), expected).into());
        }
        value.push_slots(id, out)?;
    }
    Ok(())
}

/// A call that returned another number of result slots than its type has:
/// a fault of the runtime, never of the module.
fn result_count_mismatch(results: &[ValType], found: usize) -> Error {
    Error::Interpreter(pulley_interp::CallError::ValueCount {
        what: "result slots",
        expected: ValType::total_slots(results) as usize,
        found,
    })
}
