//! Small helpers that keep the migrations short and alike.

use sea_orm_migration::prelude::*;

/// A foreign key from `table.column` to `to_table.id`.
pub fn fk(
    table: &'static str,
    column: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// An index over `columns` of `table`, named `ix_{table}_{name}` (or `ux_` when unique).
pub fn index(
    table: &'static str,
    name: &str,
    columns: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut ix = Index::create();
    ix.name(format!(
        "{}_{table}_{name}",
        if unique { "ux" } else { "ix" }
    ))
    .table(table);
    for c in columns {
        ix.col(*c);
    }
    if unique {
        ix.unique();
    }
    ix.to_owned()
}

/// Drops tables in the order given.
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for t in tables {
        manager
            .drop_table(Table::drop().table(*t).if_exists().to_owned())
            .await?;
    }
    Ok(())
}
