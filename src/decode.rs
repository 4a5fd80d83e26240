//! A serde `Deserializer` over JavaScript values shaped like JSON: what IndexedDB gives
//! back for the values the app stores, and what `JSON.parse` makes of an HTTP answer. The
//! app reads everything through it, so only one decoder is in the download, and no text
//! parser: the browser's is there already.
//!
//! Why not serde-wasm-bindgen, which does the same: its errors describe a value with
//! serde's `Unexpected`, whose `Display` brings Rust's float formatting into the download
//! (5 kB brotli'd, a third of the decoder). These errors name the value's JavaScript type.
//!
//! What it reads: `null`/`undefined` as none or unit, booleans, numbers (integers only
//! where the target is an integer, and only safe ones), strings, arrays, plain objects as
//! structs (fields looked up by name; others ignored; `undefined` is missing) or maps, and
//! enum variants written as strings (unit variants, as the app's enums are).

use std::borrow::Cow;
use std::fmt;

use js_sys::{Array, Number, Object, Reflect};
use serde::de::{
    self, value::CowStrDeserializer, value::StringDeserializer, DeserializeOwned, DeserializeSeed,
    IntoDeserializer, Unexpected, Visitor,
};
use wasm_bindgen::{JsCast, JsValue};

/// Why a value could not be read as the type asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<JsValue> for Error {
    /// A JavaScript exception, such as `JSON.parse`'s on text that is not JSON.
    fn from(e: JsValue) -> Self {
        Error(String::from(js_sys::Error::from(e).message()))
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error(format!(
            "invalid type: {}, expected {expected}",
            describe(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Error(format!(
            "invalid value: {}, expected {expected}",
            describe(&unexpected)
        ))
    }
}

/// `Unexpected` in words, without its `Display` (see the module doc).
fn describe(u: &Unexpected<'_>) -> String {
    match u {
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Unsigned(n) => format!("integer `{n}`"),
        Unexpected::Signed(n) => format!("integer `{n}`"),
        Unexpected::Float(_) => "a number with a fraction".to_owned(),
        Unexpected::Char(c) => format!("character `{c}`"),
        Unexpected::Str(s) => format!("string \"{s}\""),
        Unexpected::Unit => "null".to_owned(),
        Unexpected::Seq => "an array".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        Unexpected::Other(other) => (*other).to_owned(),
        _ => "another kind of value".to_owned(),
    }
}

/// Reads `value` as `T`.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Value(value))
}

/// Parses `json` with the browser's `JSON.parse` and reads it as `T`.
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, Error> {
    from_value(js_sys::JSON::parse(json)?)
}

struct Value(JsValue);

impl Value {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    fn safe_integer(&self) -> Option<i64> {
        Number::is_safe_integer(&self.0)
            .then(|| self.0.as_f64())
            .flatten()
            .map(|n| n as i64)
    }

    fn object(&self) -> Option<&Object> {
        (self.0.is_object() && !Array::is_array(&self.0)).then(|| self.0.unchecked_ref())
    }

    /// The error for a value that is not what `expected` wants.
    fn invalid(&self, expected: &dyn de::Expected) -> Error {
        let found = if self.is_nullish() {
            "null"
        } else if self.0.as_bool().is_some() {
            "a boolean"
        } else if self.0.as_f64().is_some() {
            "a number"
        } else if self.0.is_string() {
            "a string"
        } else if Array::is_array(&self.0) {
            "an array"
        } else {
            "an object"
        };
        Error(format!("invalid type: {found}, expected {expected}"))
    }

    fn unsigned<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.safe_integer() {
            Some(n) if n >= 0 => visitor.visit_u64(n as u64),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn signed<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.safe_integer() {
            Some(n) => visitor.visit_i64(n),
            None => Err(self.invalid(&visitor)),
        }
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else if let Some(b) = self.0.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = self.safe_integer() {
            visitor.visit_i64(n)
        } else if let Some(n) = self.0.as_f64() {
            visitor.visit_f64(n)
        } else if let Some(s) = self.0.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_bool() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.unsigned(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.unsigned(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.unsigned(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.unsigned(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.signed(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.signed(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.signed(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.signed(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_f64() {
            Some(n) => visitor.visit_f64(n),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.as_string() {
            Some(s) => visitor.visit_string(s),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else {
            Err(self.invalid(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0.dyn_ref::<Array>() {
            Some(array) => visitor.visit_seq(Items {
                array: array.clone(),
                next: 0,
            }),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.object() {
            Some(object) => {
                let keys: Vec<_> = Object::keys(object)
                    .iter()
                    .filter_map(|k| k.as_string())
                    .map(Cow::Owned)
                    .collect();
                visitor.visit_map(Fields {
                    object: object.clone(),
                    keys: keys.into_iter(),
                    value: None,
                })
            }
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.object() {
            // Only the fields the struct has are looked up: the others are ignored unread.
            Some(object) => visitor.visit_map(Fields {
                object: object.clone(),
                keys: fields
                    .iter()
                    .map(|f| Cow::Borrowed(*f))
                    .collect::<Vec<_>>()
                    .into_iter(),
                value: None,
            }),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0.as_string() {
            Some(variant) => visitor.visit_enum(UnitVariant(variant)),
            None => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The elements of an array.
struct Items {
    array: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.next >= self.array.length() {
            return Ok(None);
        }
        let item = self.array.get(self.next);
        self.next += 1;
        seed.deserialize(Value(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.array.length().saturating_sub(self.next) as usize)
    }
}

/// The named entries of an object; an `undefined` one is missing.
struct Fields {
    object: Object,
    keys: std::vec::IntoIter<Cow<'static, str>>,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        for key in self.keys.by_ref() {
            let value = Reflect::get(&self.object, &JsValue::from_str(&key))?;
            if !value.is_undefined() {
                self.value = Some(value);
                let key: CowStrDeserializer<Error> = key.into_deserializer();
                return seed.deserialize(key).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(Value(value))
    }
}

/// An enum variant written as its name.
struct UnitVariant(String);

impl<'de> de::EnumAccess<'de> for UnitVariant {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let name: StringDeserializer<Error> = self.0.clone().into_deserializer();
        Ok((seed.deserialize(name)?, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _seed: T) -> Result<T::Value, Error> {
        Err(self.with_data())
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, _visitor: V) -> Result<V::Value, Error> {
        Err(self.with_data())
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Error> {
        Err(self.with_data())
    }
}

impl UnitVariant {
    fn with_data(&self) -> Error {
        Error(format!(
            "variant `{}` needs data, which a string does not hold",
            self.0
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use wasm_bindgen_test::*;

    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Colour {
        Red,
        DarkGold,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Sample {
        name: String,
        count: u16,
        offset: i64,
        ratio: f64,
        flag: bool,
        colour: Colour,
        list: Vec<u64>,
        #[serde(default)]
        absent: Option<String>,
        null: Option<String>,
        map: BTreeMap<String, i32>,
        pair: (u8, String),
    }

    /// What serde_json makes of `json`, and what this makes of the browser's parse.
    fn both<T: DeserializeOwned>(json: &str) -> (Result<T, String>, Result<T, String>) {
        (
            serde_json::from_str(json).map_err(|e| e.to_string()),
            from_json(json).map_err(|e| e.to_string()),
        )
    }

    #[wasm_bindgen_test]
    fn json_shaped_values_read_as_serde_json_reads_them() {
        let json = r#"{"name":"双河村 \"站\"\n","count":7,"offset":-120000,"ratio":0.25,
            "flag":true,"colour":"dark_gold","list":[1,2,9007199254740991],"null":null,
            "map":{"a":1,"b":-2},"pair":[3,"x"],"ignored":{"deep":[1,{"x":null}]}}"#;
        let (json_result, js_result) = both::<Sample>(json);
        assert_eq!(js_result, json_result);
        assert!(js_result.is_ok());
    }

    #[wasm_bindgen_test]
    fn values_serde_json_refuses_are_refused() {
        for json in [
            r#"{"name":1}"#,
            r#"{"name":"x","count":-1}"#,
            r#"{"name":"x","count":70000}"#,
            r#"{"name":"x","count":1.5}"#,
            r#"{"name":"x","count":"7"}"#,
            r#"{"name":"x","count":7,"offset":1,"ratio":1,"flag":1}"#,
            r#"{"name":"x","count":7,"offset":1,"ratio":1,"flag":true,"colour":"blue"}"#,
            r#"{"name":"x","count":7,"offset":1,"ratio":1,"flag":true,"colour":{"red":1}}"#,
            r#"["x",7]"#,
            "null",
            "{",
        ] {
            let (json_result, js_result) = both::<Sample>(json);
            assert!(json_result.is_err(), "serde_json reads {json}");
            assert!(js_result.is_err(), "{json} was read: {js_result:?}");
        }
        let (_, missing) = both::<Sample>(r#"{"count":1}"#);
        assert_eq!(missing.unwrap_err(), "missing field `name`");
    }

    #[wasm_bindgen_test]
    fn numbers_beyond_the_safe_integers_are_refused_not_rounded() {
        assert!(from_json::<u64>("9007199254740993").is_err());
        assert_eq!(
            from_json::<u64>("9007199254740991"),
            Ok(9_007_199_254_740_991)
        );
        assert_eq!(from_json::<i64>("-5"), Ok(-5));
        let err = from_json::<u32>("2.5").unwrap_err();
        assert_eq!(err.to_string(), "invalid type: a number, expected u32");
    }
}
