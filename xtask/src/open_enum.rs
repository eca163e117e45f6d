//! Emitting open enums.
//!
//! typify's string enums are closed: a value the spec does not list fails the
//! whole response. Ours keep such a value in `Unknown`, write it back
//! unchanged, and still give every listed value a variant users can match and
//! construct without quoting strings. The type behind `Unknown` is
//! `crate::UnknownValue`, hand-written in videos-types, opaque so that an
//! unknown value can never spell a known one.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::schema::EnumDef;

/// The Rust items for one open enum.
pub fn emit(def: &EnumDef) -> TokenStream {
    let name = Ident::new(&def.name, Span::call_site());
    let docs = doc_lines(&def.description);
    let variants: Vec<Ident> = def.variants.iter().map(|(_, v)| Ident::new(v, Span::call_site())).collect();
    let values: Vec<&str> = def.variants.iter().map(|(value, _)| value.as_str()).collect();
    let variant_docs: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    let expecting = format!("a {} string", def.name);

    let default_impl = def.default.as_ref().map(|default| {
        let variant =
            def.variants.iter().find(|(value, _)| value == default).map(|(_, v)| Ident::new(v, Span::call_site()));
        let doc = format!("`{default}`, the value the service assumes.");
        quote! {
            impl ::std::default::Default for #name {
                #[doc = #doc]
                fn default() -> Self {
                    Self::#variant
                }
            }
        }
    });

    quote! {
        #(#[doc = #docs])*
        #[doc = ""]
        #[doc = "Open: a value this version does not list is kept in `Unknown` and written back unchanged."]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A value this version of the SDK does not list, kept verbatim.
            Unknown(crate::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists, in the spec's order.
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

            /// The value as it is sent and received.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the value is one the spec lists.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(crate::UnknownValue::new(other.to_owned())),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#values => Self::#variants,)*
                    _ => Self::Unknown(crate::UnknownValue::new(value)),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }
                    fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value.to_string()))
                    }
                    fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value.to_string()))
                    }
                    fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value.to_string()))
                    }
                }
                // Any self-describing value, so a number (a gateway's `"seconds": 8`) reads as its text.
                deserializer.deserialize_any(Visitor)
            }
        }

        #default_impl
    }
}

/// A description as `#[doc]` lines, each with the leading space rustdoc expects.
pub fn doc_lines(text: &str) -> Vec<String> {
    text.trim().lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}
