//! A fast reader for objects that keep the fields this version does not
//! list. Deriving `Deserialize` for them needs `#[serde(flatten)]` on the
//! `extra` map, and serde reads a flattened struct by first copying every
//! key and value of the object into an intermediate tree, then reading that
//! tree again: a page of videos took 2.9 times as long to read as to skip.
//!
//! This pass gives each such struct a `Deserialize` impl of its own: a key
//! it lists is matched without allocating and its value read straight into
//! the field; any other key and its value go to `extra`, so nothing is
//! lost. It keeps the derive's rules: a field that is not an `Option` is
//! required (`missing_field`), a key given twice is an error
//! (`duplicate_field`), `#[serde(rename)]` names the key. Serializing stays
//! derived.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::{Meta, Token};

/// Applies the pass to every struct with a flattened `extra` map; those
/// named in `from_string` (struct, field) also read a plain string as that field.
pub fn apply(file: &mut syn::File, from_string: &[(String, String)]) {
    let mut impls = Vec::new();
    for item in &mut file.items {
        let syn::Item::Struct(item) = item else { continue };
        if !has_flattened_extra(item) {
            continue;
        }
        drop_derived_deserialize(item);
        let field = from_string.iter().find(|(name, _)| item.ident == name.as_str()).map(|(_, field)| field.as_str());
        impls.push(reader(item, field));
    }
    for tokens in impls {
        file.items.push(syn::parse2(tokens).expect("the lossless reader is valid Rust"));
    }
}

fn serde_metas(attrs: &[syn::Attribute]) -> Vec<Meta> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated).ok())
        .flatten()
        .collect()
}

fn is_extra(field: &syn::Field) -> bool {
    field.ident.as_ref().is_some_and(|i| i == "extra")
        && serde_metas(&field.attrs).iter().any(|m| matches!(m, Meta::Path(p) if p.is_ident("flatten")))
}

fn has_flattened_extra(item: &syn::ItemStruct) -> bool {
    item.fields.iter().any(is_extra)
}

/// Removes `Deserialize` from the struct's `#[derive(...)]`.
fn drop_derived_deserialize(item: &mut syn::ItemStruct) {
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated) else { continue };
        let kept: Punctuated<syn::Path, Token![,]> =
            paths.into_iter().filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize")).collect();
        *attr = syn::parse_quote!(#[derive(#kept)]);
    }
}

/// The JSON key of `field`: its `#[serde(rename)]`, else its name.
fn key_of(field: &syn::Field) -> String {
    for meta in serde_metas(&field.attrs) {
        if let Meta::NameValue(nv) = meta
            && nv.path.is_ident("rename")
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. }) = nv.value
        {
            return name.value();
        }
    }
    field.ident.as_ref().map(|i| i.to_string().trim_start_matches("r#").to_owned()).unwrap_or_default()
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The `Deserialize` impl of one struct; with `from_string`, a plain string
/// reads as that field with every other one absent.
fn reader(item: &syn::ItemStruct, from_string: Option<&str>) -> TokenStream {
    let name = &item.ident;
    let expecting = format!("a {name} object");
    let fields: Vec<&syn::Field> = item.fields.iter().filter(|f| !is_extra(f)).collect();
    let idents: Vec<&syn::Ident> = fields.iter().filter_map(|f| f.ident.as_ref()).collect();
    let slots: Vec<syn::Ident> =
        idents.iter().map(|i| format_ident!("field_{}", i.to_string().trim_start_matches("r#"))).collect();
    let variants: Vec<syn::Ident> = (0..fields.len()).map(|i| format_ident!("Known{i}")).collect();
    let keys: Vec<String> = fields.iter().map(|f| key_of(f)).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| &f.ty).collect();
    let finish: Vec<TokenStream> = fields
        .iter()
        .zip(&slots)
        .zip(&keys)
        .map(|((field, slot), key)| {
            if is_option(&field.ty) {
                quote!(#slot.unwrap_or_default())
            } else {
                quote!(#slot.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field(#key))?)
            }
        })
        .collect();
    let (read, from_str) = match from_string {
        None => (quote!(deserialize_map), quote!()),
        Some(target) => {
            let values: Vec<TokenStream> = fields
                .iter()
                .zip(&keys)
                .map(|(field, key)| {
                    let ident = field.ident.as_ref();
                    if key == target {
                        quote!(#ident: ::std::option::Option::Some(::std::convert::From::from(value)))
                    } else {
                        quote!(#ident: ::std::option::Option::None)
                    }
                })
                .collect();
            let visit = quote! {
                fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                    ::std::result::Result::Ok(#name { #(#values,)* extra: ::serde_json::Map::new() })
                }
            };
            (quote!(deserialize_any), visit)
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                enum Field {
                    #(#variants,)*
                    Other(::std::string::String),
                }
                struct FieldVisitor;
                impl ::serde::de::Visitor<'_> for FieldVisitor {
                    type Value = Field;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a field name")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<Field, E> {
                        ::std::result::Result::Ok(match value {
                            #(#keys => Field::#variants,)*
                            other => Field::Other(other.to_owned()),
                        })
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for Field {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        deserializer.deserialize_identifier(FieldVisitor)
                    }
                }
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        #(let mut #slots: ::std::option::Option<#types> = ::std::option::Option::None;)*
                        let mut extra = ::serde_json::Map::new();
                        while let ::std::option::Option::Some(field) = map.next_key::<Field>()? {
                            match field {
                                #(Field::#variants => {
                                    if #slots.is_some() {
                                        return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::duplicate_field(#keys));
                                    }
                                    #slots = ::std::option::Option::Some(map.next_value()?);
                                })*
                                Field::Other(key) => {
                                    extra.insert(key, map.next_value()?);
                                }
                            }
                        }
                        ::std::result::Result::Ok(#name { #(#idents: #finish,)* extra })
                    }
                    #from_str
                }
                deserializer.#read(ObjectVisitor)
            }
        }
    }
}
