//! WebAnno TSV 3.3, the exchange format of INCEpTION and WebAnno: one file per document, a header
//! declaring layers and their features, then sentences (`#Text=` lines) of token lines
//! `S-T<TAB>BEGIN-END<TAB>TOKEN<TAB>column...`, offsets in UTF-16 units.
//!
//! Mapping (docs/formats.md, "WebAnno TSV 3.3"):
//! - a span layer annotation → a span. Its label is the value of the layer's *label feature*
//!   (the feature named `value`, else the first whose name ends in `Value`, else the first
//!   feature), or the layer's short name (after the last `.`) when that is unset or the layer has
//!   no feature; every other feature with a value is an attribute of that name. A span of another
//!   layer than DKPro's named entities (`de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity`,
//!   INCEpTION's built-in layer) keeps its layer declaration (`TYPE|feature|...`) in the
//!   attribute `webanno:layer`.
//! - a relation layer annotation → a relation from its governor to its dependent, its type from
//!   the label feature as for spans (`webanno:layer` unless the layer is `webanno.custom.Relation`).
//!   A relation attached to tokens (`BT_...Token`, and DKPro's `Dependency`) joins spans of the
//!   layer `...segmentation.type.Token` labeled `Token`, one per token used.
//! - multi-token (`[n]`), stacked (`A|B`) and sub-token (`1-2.1`) annotations are read as
//!   INCEpTION reads them; the text is rebuilt from the `#Text=` lines (sentences padded to the
//!   first token's offset, the last line end dropped); the tokens are recorded with the document.
//! - not converted, each reported: zero-width annotations (the model has no empty spans), chain
//!   layers (`T_CH`), slot features (`ROLE_`), sentence ids.
//!
//! Export writes the same, one `.tsv` per article, the way INCEpTION's own writer does (header
//! order, sub-token units, disambiguation ids, trailing tabs), so that INCEpTION reads it back.

mod escape;
mod read;
mod write;

pub use escape::{
    escape_text, escape_value, split_suffix, split_unescaped, unescape_text, unescape_value,
};
pub use read::{parse, parse_source};
pub use write::{write_document, TsvExporter};

/// The attribute holding the layer declaration of a span or relation of a non-default layer.
pub const LAYER_ATTRIBUTE: &str = "webanno:layer";
/// The layer of spans without [`LAYER_ATTRIBUTE`] (INCEpTION's built-in named entities).
pub const DEFAULT_SPAN_LAYER: &str = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity";
/// Its features, as INCEpTION declares them.
pub const DEFAULT_SPAN_FEATURES: &[&str] = &["identifier", "value"];
/// The layer of relations without [`LAYER_ATTRIBUTE`].
pub const DEFAULT_RELATION_LAYER: &str = "webanno.custom.Relation";
pub const DEFAULT_RELATION_FEATURES: &[&str] = &["value"];
/// DKPro's token type: relations attached to it join tokens.
pub const TOKEN_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token";
/// DKPro's dependency relation: attached to tokens, although declared over POS.
pub const DEPENDENCY_TYPE: &str =
    "de.tudarmstadt.ukp.dkpro.core.api.syntax.type.dependency.Dependency";
pub const POS_TYPE: &str = "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS";
/// The label of token endpoint spans.
pub const TOKEN_LABEL: &str = "Token";

/// A layer's type and primitive features, as declared (`TYPE|f1|f2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerDecl {
    pub type_name: String,
    pub features: Vec<String>,
}

impl LayerDecl {
    /// Reads `TYPE|f1|f2` (as kept in [`LAYER_ATTRIBUTE`]).
    pub fn parse(s: &str) -> Self {
        let mut it = s.split('|');
        let type_name = it.next().unwrap_or("").to_owned();
        LayerDecl {
            type_name,
            features: it.filter(|f| !f.is_empty()).map(str::to_owned).collect(),
        }
    }

    /// `TYPE|f1|f2` (`TYPE|` without features).
    pub fn to_attribute(&self) -> String {
        if self.features.is_empty() {
            format!("{}|", self.type_name)
        } else {
            format!("{}|{}", self.type_name, self.features.join("|"))
        }
    }

    /// The part after the last `.`.
    pub fn short_name(&self) -> &str {
        short_name(&self.type_name)
    }

    /// The feature a span's (or relation's) label is the value of: `value`, else the first whose
    /// name ends in `Value`, else the first feature.
    pub fn label_feature(&self) -> Option<&str> {
        label_feature(&self.features)
    }
}

/// The part of a type name after the last `.`.
pub fn short_name(type_name: &str) -> &str {
    type_name.rsplit('.').next().unwrap_or(type_name)
}

/// See [`LayerDecl::label_feature`].
pub fn label_feature(features: &[String]) -> Option<&str> {
    features
        .iter()
        .find(|f| *f == "value")
        .or_else(|| features.iter().find(|f| f.ends_with("Value")))
        .or_else(|| features.first())
        .map(String::as_str)
}
