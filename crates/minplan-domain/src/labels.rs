//! Chinese labels of the domain's enums, declared once per enum.
//!
//! [`zh_labels!`] takes an enum's table of labels — each variant's Chinese label, and the
//! other spellings a person may write — and generates from it everything that reads or
//! writes the label, so no copy of the table can drift:
//!
//! * `ALL` and `LABELS`: the variants and their labels in declaration order (for forms and
//!   for error messages such as “应为 新立、延续、变更、探转采、转让 之一”);
//! * the label method (`label` or, where `label` is a longer description, `code`);
//! * `parse`: label or alias → variant, surrounding blanks ignored, `None` otherwise;
//! * `Serialize` as the label and `Deserialize` from exactly the label (as
//!   `#[serde(rename = "…")]` did: no aliases, no trimming; an unknown value is serde's
//!   “unknown variant” error listing the labels).
//!
//! A leaf module: it uses nothing of the crate.

/// Declares the Chinese labels of a unit-only enum (see the [module documentation](self)).
///
/// ```text
/// zh_labels! {
///     ApplicationKind, label {
///         New => "新立",
///         Extension => "延续",
///     }
/// }
/// ```
macro_rules! zh_labels {
    (
        $ty:ident, $label_fn:ident {
            $( $variant:ident => $label:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The Chinese label of each variant of [`Self::ALL`], in the same order.
            pub const LABELS: &'static [&'static str] = &[$($label),+];

            /// The Chinese label (as stored, serialized and shown in forms).
            pub fn $label_fn(&self) -> &'static str {
                match self {
                    $($ty::$variant => $label,)+
                }
            }

            /// Parses the Chinese label or one of its accepted spellings; surrounding
            /// blanks are ignored. `None` for anything else (the caller names the field;
            /// the labels are [`Self::LABELS`]).
            pub fn parse(s: &str) -> Option<$ty> {
                match s.trim() {
                    $($label $(| $alias)* => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$label_fn())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                struct LabelVisitor;
                impl serde::de::Visitor<'_> for LabelVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("enum ", stringify!($ty)))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        match v {
                            $($label => Ok($ty::$variant),)+
                            _ => Err(E::unknown_variant(v, <$ty>::LABELS)),
                        }
                    }
                }
                d.deserialize_str(LabelVisitor)
            }
        }
    };
}

pub(crate) use zh_labels;
