//! Limits on what one document may ask, checked before anything runs — which async-graphql does not
//! do by itself:
//! - **cost**: every field selected counts 1, multiplied by the sizes of the lists it sits in — a
//!   connection's `first` (its default when not given) or, for a plain list, an assumed size — so
//!   a short query asking for big pages of nested lists is refused, not run;
//! - **aliases**: at most so many, so one request cannot ask for the same expensive field hundreds
//!   of times under different names;
//! - both counted every time a fragment is *spread*, not once per fragment definition;
//! - **heavy operations take turns**: one whose cost reaches [`HeavyGate::threshold`] waits for
//!   one of a few turns (by default one fewer than the cores) before it runs, so however many
//!   clients send big queries at once, a core stays free for everyone else's small ones;
//! - **who may ask**: without a (valid) bearer token, only the operations that let a person in
//!   (signing in, accepting or registering with an invitation) answer; everything else is refused
//!   with `UNAUTHENTICATED` before any resolver runs.
//!
//! The types of fields come from the schema's own SDL, read once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationType, Selection, SelectionSet, TypeDefinition, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{
    ErrorExtensionValues, Name, Response, ServerError, ServerResult, ValidationResult, Value,
    Variables,
};
use staffbank_core::page::DEFAULT_PAGE_SIZE;
use tokio::sync::Semaphore;

use crate::graphql::context::{Credentials, RequestContext};

/// Root fields that answer without a token: the ways in.
pub const PUBLIC_ROOT_FIELDS: &[&str] = &[
    "login",
    "acceptInvitation",
    "registerWithInvitation",
    "__typename",
];
/// Introspection's root fields: public when introspection is on (the schema is public then).
const INTROSPECTION_ROOT_FIELDS: &[&str] = &["__schema", "__type"];

/// What the cost counter needs to know of one field of the schema.
#[derive(Debug, Clone)]
struct FieldShape {
    /// The named type it returns (lists and non-null unwrapped).
    type_name: String,
    /// Whether it returns a list.
    list: bool,
    /// Whether it takes `first`, and its default.
    first: Option<Option<i64>>,
}

type Shapes = HashMap<String, HashMap<String, FieldShape>>;

/// The fields of every object and interface type of the schema.
fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let mut out = Shapes::new();
        let Ok(doc) = async_graphql::parser::parse_schema(crate::graphql::sdl()) else {
            tracing::error!("the schema's own SDL does not parse; query costs count no lists");
            return out;
        };
        for def in doc.definitions {
            let TypeSystemDefinition::Type(t) = def else {
                continue;
            };
            let TypeDefinition { name, kind, .. } = t.node;
            let fields = match kind {
                TypeKind::Object(o) => o.fields,
                TypeKind::Interface(i) => i.fields,
                _ => continue,
            };
            let map = out.entry(name.node.to_string()).or_default();
            for f in fields {
                let f = f.node;
                let mut ty = &f.ty.node;
                let mut list = false;
                while let BaseType::List(inner) = &ty.base {
                    list = true;
                    ty = inner;
                }
                let BaseType::Named(type_name) = &ty.base else {
                    continue;
                };
                let first = f
                    .arguments
                    .iter()
                    .find(|a| a.node.name.node == "first")
                    .map(|a| {
                        a.node.default_value.as_ref().and_then(|d| match &d.node {
                            Value::Number(n) => n.as_i64(),
                            _ => None,
                        })
                    });
                map.insert(
                    f.name.node.to_string(),
                    FieldShape {
                        type_name: type_name.to_string(),
                        list,
                        first,
                    },
                );
            }
        }
        out
    })
}

/// The turns heavy operations take: an operation costing at least `threshold` runs only while
/// it holds one of the semaphore's permits (waiting inside its time budget).
#[derive(Debug)]
pub struct HeavyGate {
    /// The cost from which an operation is heavy.
    pub threshold: usize,
    /// One permit per heavy operation allowed to run at once.
    pub turns: Semaphore,
}

impl HeavyGate {
    /// A gate letting `at_once` heavy operations run at a time; `None` when `at_once` is 0 (no
    /// gate).
    #[must_use]
    pub fn new(threshold: usize, at_once: usize) -> Option<Arc<Self>> {
        (at_once > 0).then(|| {
            Arc::new(Self {
                threshold,
                turns: Semaphore::new(at_once),
            })
        })
    }
}

/// The limits, as an extension.
#[derive(Debug, Clone)]
pub struct DocumentLimits {
    /// Most aliases allowed.
    pub max_aliases: usize,
    /// Highest cost allowed.
    pub max_cost: usize,
    /// The size assumed for a list without `first`.
    pub assumed_list_size: usize,
    /// Whether introspection answers (then without a token too).
    pub introspection: bool,
    /// The turns of heavy operations, if they take turns.
    pub heavy: Option<Arc<HeavyGate>>,
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Checks {
            limits: self.clone(),
            verdict: Mutex::new(None),
            cost: Mutex::new(0),
        })
    }
}

/// The checks for one request: who may ask is decided on the parsed document; cost and aliases
/// are counted then too, but reported after async-graphql's own validation (so an unknown field
/// or a too-deep query gets its own, more precise error first).
struct Checks {
    limits: DocumentLimits,
    verdict: Mutex<Option<ServerError>>,
    /// The document's cost, as counted.
    cost: Mutex<usize>,
}

fn refusal(code: &str, message: String) -> ServerError {
    let mut e = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code);
    e.extensions = Some(ext);
    e
}

#[async_graphql::async_trait::async_trait]
impl Extension for Checks {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let anonymous = match ctx
            .data_opt::<Arc<RequestContext>>()
            .map(|r| &r.credentials)
        {
            Some(Credentials::Account(_)) => None,
            Some(Credentials::Refused(e)) => Some(e.to_string()),
            // No request context: an in-process caller with no caller at all.
            Some(Credentials::Anonymous) | None => Some(
                "sign in first: this needs a bearer token (Authorization: Bearer ...)".to_owned(),
            ),
        };
        if let Some(why) = anonymous
            && let Some(field) = first_private_root_field(&doc, self.limits.introspection)
        {
            return Err(refusal("UNAUTHENTICATED", format!("`{field}`: {why}")));
        }
        let mut count = Count {
            doc: &doc,
            shapes: shapes(),
            variables,
            limits: &self.limits,
            cost: 0,
            aliases: 0,
            spreading: Vec::new(),
        };
        if let Err(e) = count.document() {
            *self.verdict.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
        }
        *self.cost.lock().unwrap_or_else(PoisonError::into_inner) = count.cost;
        Ok(doc)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let cost = *self.cost.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(gate) = self.limits.heavy.as_ref().filter(|g| cost >= g.threshold) else {
            return next.run(ctx, operation_name).await;
        };
        // The semaphore is never closed; were it, the operation runs rather than fails.
        let _turn = gate.turns.acquire().await.ok();
        next.run(ctx, operation_name).await
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        match self
            .verdict
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            Some(e) => Err(vec![e]),
            None => Ok(result),
        }
    }
}

/// The first root field of any operation (fragments followed) that needs a token.
fn first_private_root_field(doc: &ExecutableDocument, introspection: bool) -> Option<String> {
    fn walk(
        doc: &ExecutableDocument,
        set: &SelectionSet,
        introspection: bool,
        seen: &mut Vec<Name>,
    ) -> Option<String> {
        for item in &set.items {
            let found = match &item.node {
                Selection::Field(f) => {
                    let name = f.node.name.node.as_str();
                    let public = PUBLIC_ROOT_FIELDS.contains(&name)
                        || (introspection && INTROSPECTION_ROOT_FIELDS.contains(&name));
                    (!public).then(|| name.to_owned())
                }
                Selection::InlineFragment(f) => {
                    walk(doc, &f.node.selection_set.node, introspection, seen)
                }
                Selection::FragmentSpread(s) => {
                    let name = &s.node.fragment_name.node;
                    if seen.contains(name) {
                        None
                    } else {
                        seen.push(name.clone());
                        doc.fragments.get(name).and_then(|f| {
                            walk(doc, &f.node.selection_set.node, introspection, seen)
                        })
                    }
                }
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }
    doc.operations.iter().find_map(|(_, op)| {
        walk(
            doc,
            &op.node.selection_set.node,
            introspection,
            &mut Vec::new(),
        )
    })
}

/// Counts cost and aliases through a document, spreading fragments where they are spread, and
/// stops as soon as a limit is passed (so a document built to explode stops early).
struct Count<'a> {
    doc: &'a ExecutableDocument,
    shapes: &'a Shapes,
    variables: &'a Variables,
    limits: &'a DocumentLimits,
    cost: usize,
    aliases: usize,
    /// The fragments being spread now (a cycle is left for validation to refuse).
    spreading: Vec<&'a Name>,
}

impl<'a> Count<'a> {
    fn document(&mut self) -> ServerResult<()> {
        for (_, op) in self.doc.operations.iter() {
            let root = match op.node.ty {
                OperationType::Query => "Query",
                OperationType::Mutation => "Mutation",
                OperationType::Subscription => "Subscription",
            };
            self.set(&op.node.selection_set.node, Some(root), 1)?;
        }
        Ok(())
    }

    fn set(
        &mut self,
        set: &'a SelectionSet,
        parent: Option<&'a str>,
        multiplier: usize,
    ) -> ServerResult<()> {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    if f.alias.is_some() {
                        self.aliases += 1;
                        if self.aliases > self.limits.max_aliases {
                            return Err(refusal(
                                "VALIDATION",
                                format!(
                                    "the query has at least {n} aliases (counted every time a \
                                     fragment is spread); at most {max} are allowed",
                                    n = self.aliases,
                                    max = self.limits.max_aliases
                                ),
                            ));
                        }
                    }
                    // Every field counts at least once, so even `first: 0` cannot make a
                    // document free to expand.
                    self.cost = self.cost.saturating_add(multiplier.max(1));
                    if self.cost > self.limits.max_cost {
                        return Err(refusal(
                            "VALIDATION",
                            format!(
                                "the query costs more than {max}, the most allowed: each field \
                                 counts once for every item of the lists it is in (a \
                                 connection's `first`, {list} for other lists), and a fragment \
                                 every time it is spread; ask for smaller pages or fewer nested \
                                 lists",
                                max = self.limits.max_cost,
                                list = self.limits.assumed_list_size,
                            ),
                        ));
                    }
                    if f.selection_set.node.items.is_empty() {
                        continue;
                    }
                    let shape = parent
                        .and_then(|p| self.shapes.get(p))
                        .and_then(|fields| fields.get(f.name.node.as_str()));
                    let factor = self.factor(parent, f, shape);
                    self.set(
                        &f.selection_set.node,
                        shape.map(|s| s.type_name.as_str()),
                        multiplier.saturating_mul(factor),
                    )?;
                }
                Selection::InlineFragment(frag) => {
                    let on = frag
                        .node
                        .type_condition
                        .as_ref()
                        .map(|t| t.node.on.node.as_str())
                        .or(parent);
                    self.set(&frag.node.selection_set.node, on, multiplier)?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if self.spreading.contains(&name) {
                        continue;
                    }
                    let Some(frag) = self.doc.fragments.get(name) else {
                        continue;
                    };
                    self.spreading.push(name);
                    let on = frag.node.type_condition.node.on.node.as_str();
                    let result = self.set(&frag.node.selection_set.node, Some(on), multiplier);
                    self.spreading.pop();
                    result?;
                }
            }
        }
        Ok(())
    }

    /// How many times what is selected inside `field` is fetched per item of its parent.
    fn factor(
        &self,
        parent: Option<&str>,
        field: &async_graphql::parser::types::Field,
        shape: Option<&FieldShape>,
    ) -> usize {
        let Some(shape) = shape else {
            return 1;
        };
        if let Some(default) = shape.first {
            let asked = field
                .get_argument("first")
                .and_then(|v| {
                    v.node
                        .clone()
                        .into_const_with(|var| self.variables.get(&var).cloned().ok_or(()))
                        .ok()
                })
                .and_then(|v| match v {
                    Value::Number(n) => n.as_i64(),
                    _ => None,
                });
            let first = asked
                .or(default)
                .unwrap_or(i64::try_from(DEFAULT_PAGE_SIZE).unwrap_or(50));
            return usize::try_from(first.max(0)).unwrap_or(usize::MAX);
        }
        // A connection's edges and nodes are the page its `first` already counted.
        let in_connection = parent.is_some_and(|p| p.ends_with("Connection"))
            && matches!(field.name.node.as_str(), "edges" | "nodes");
        if shape.list && !in_connection {
            self.limits.assumed_list_size.max(1)
        } else {
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use staffbank_core::sessions::SignedIn;
    use uuid::Uuid;

    use super::*;

    /// A schema whose heavy operations (cost 100 or more) take turns at `gate`; every field is
    /// under `@skip(if: true)` in the queries below, so no resolver (and no database) is reached.
    fn schema(gate: &Arc<HeavyGate>) -> crate::graphql::AppSchema {
        crate::graphql::builder()
            .extension(DocumentLimits {
                max_aliases: 30,
                max_cost: 5000,
                assumed_list_size: 5,
                introspection: false,
                heavy: Some(gate.clone()),
            })
            .finish()
    }

    fn signed_in(query: &str) -> async_graphql::Request {
        async_graphql::Request::new(query).data(Arc::new(RequestContext::new(
            "127.0.0.1".into(),
            Credentials::Account(SignedIn {
                account_id: Uuid::nil(),
                session_id: Uuid::nil(),
            }),
        )))
    }

    const HEAVY: &str =
        "{ myBookings(first: 200) @skip(if: true) { edges { node { id shift { id grade } } } } }";
    const LIGHT: &str = "{ me @skip(if: true) { email } }";

    #[tokio::test]
    async fn a_heavy_operation_waits_for_a_turn_and_a_small_one_does_not() {
        let Some(gate) = HeavyGate::new(100, 1) else {
            panic!("a gate of one turn");
        };
        let schema = schema(&gate);
        let Ok(held) = gate.turns.try_acquire() else {
            panic!("the only turn is free");
        };

        let heavy = tokio::spawn({
            let schema = schema.clone();
            async move { schema.execute(signed_in(HEAVY)).await }
        });
        // While every turn is taken the heavy operation cannot finish, however long it waits...
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !heavy.is_finished(),
            "the heavy operation ran without a turn"
        );
        // ...and a small one is answered meanwhile.
        let Ok(light) =
            tokio::time::timeout(Duration::from_secs(5), schema.execute(signed_in(LIGHT))).await
        else {
            panic!("the small operation waited for the heavy one's turn");
        };
        assert!(light.errors.is_empty(), "{:?}", light.errors);

        drop(held);
        let Ok(Ok(heavy)) = tokio::time::timeout(Duration::from_secs(5), heavy).await else {
            panic!("the heavy operation did not run once a turn was free");
        };
        assert!(heavy.errors.is_empty(), "{:?}", heavy.errors);
        assert_eq!(gate.turns.available_permits(), 1, "the turn was given back");
    }
}
