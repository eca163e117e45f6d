//! Emitting the fragment's limits as constants, so videos-core validates
//! against the same numbers the types come from.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::schema::LimitDef;

/// The `limits` module, or nothing when the fragment states no limits.
pub fn emit(limits: &[LimitDef]) -> TokenStream {
    if limits.is_empty() {
        return TokenStream::new();
    }
    let items = limits.iter().map(|limit| {
        let name = Ident::new(&limit.name, Span::call_site());
        let doc = format!(" `{}` of `{}` in the fragment.", limit.keyword, limit.source);
        let value = Literal::i64_unsuffixed(limit.value);
        let ty = if limit.keyword.ends_with("Length") { quote!(usize) } else { quote!(i64) };
        quote! { #[doc = #doc] pub const #name: #ty = #value; }
    });
    quote! {
        /// Lengths (in characters) and ranges the fragment states for request fields.
        pub mod limits {
            #(#items)*
        }
    }
}
