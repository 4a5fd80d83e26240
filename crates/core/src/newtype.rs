//! The conversions every string newtype of this crate shares, so that each type only says
//! how it parses.

/// For a type with `parse(&str) -> Result<Self, $err>` and `as_str(&self) -> &str`:
/// `TryFrom<String>` (what serde's `try_from` uses), `From<T> for String` (serde's
/// `into`) and `Display`; with `debug`, also a `Debug` that shows the value.
#[macro_export]
#[doc(hidden)]
macro_rules! string_newtype {
    ($t:ident, $err:ty) => {
        impl TryFrom<String> for $t {
            type Error = $err;
            fn try_from(s: String) -> Result<Self, $err> {
                Self::parse(&s)
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.as_str().to_owned()
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    ($t:ident, $err:ty, debug) => {
        $crate::string_newtype!($t, $err);

        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($t), "({})"), self.as_str())
            }
        }
    };
}
