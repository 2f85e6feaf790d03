//! Builtins: operations compiled code asks the runtime to perform (the
//! `call_builtin` op's index). Arguments are passed in the order documented
//! on each variant; entity indices (memories, tables, segments) come first.

/// A value type of a builtin's parameter or result.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BuiltinType {
    /// A 32-bit integer.
    I32,
    /// A function reference (64-bit handle).
    FuncRef,
    /// An extern reference (64-bit handle).
    ExternRef,
}

macro_rules! builtins {
    ($($(#[$doc:meta])* $name:ident = $id:literal ($($param:ident),*) -> ($($result:ident),*);)*) => {
        /// A runtime operation that compiled code cannot do itself.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum Builtin {
            $($(#[$doc])* $name = $id,)*
        }

        impl Builtin {
            /// Every builtin.
            pub const ALL: &'static [Builtin] = &[$(Builtin::$name),*];

            /// The builtin with this index.
            pub fn from_index(index: u32) -> Option<Builtin> {
                match index {
                    $($id => Some(Builtin::$name),)*
                    _ => None,
                }
            }

            /// Parameter types.
            pub fn params(self) -> &'static [BuiltinType] {
                match self {
                    $(Builtin::$name => &[$(BuiltinType::$param),*],)*
                }
            }

            /// Result types.
            pub fn results(self) -> &'static [BuiltinType] {
                match self {
                    $(Builtin::$name => &[$(BuiltinType::$result),*],)*
                }
            }

            /// The builtin's name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Builtin::$name => stringify!($name),)*
                }
            }
        }
    };
}

builtins! {
    /// `memory.grow`: (memory, delta pages) -> old size in pages, or -1.
    MemoryGrow = 0 (I32, I32) -> (I32);
    /// `memory.init`: (memory, data segment, destination, source, length).
    MemoryInit = 1 (I32, I32, I32, I32, I32) -> ();
    /// `data.drop`: (data segment).
    DataDrop = 2 (I32) -> ();
    /// `table.grow` of a `funcref` table: (table, initial value, delta) ->
    /// old size, or -1.
    TableGrowFunc = 3 (I32, FuncRef, I32) -> (I32);
    /// `table.fill` of a `funcref` table: (table, destination, value, length).
    TableFillFunc = 4 (I32, I32, FuncRef, I32) -> ();
    /// `table.copy`: (destination table, source table, destination, source, length).
    TableCopy = 5 (I32, I32, I32, I32, I32) -> ();
    /// `table.init`: (table, element segment, destination, source, length).
    TableInit = 6 (I32, I32, I32, I32, I32) -> ();
    /// `elem.drop`: (element segment).
    ElemDrop = 7 (I32) -> ();
    /// `table.grow` of an `externref` table (see `TableGrowFunc`).
    TableGrowExtern = 8 (I32, ExternRef, I32) -> (I32);
    /// `table.fill` of an `externref` table (see `TableFillFunc`).
    TableFillExtern = 9 (I32, I32, ExternRef, I32) -> ();
}
