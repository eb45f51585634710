package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// migrations are the schema, one file a step, applied in the order of the
// version that starts each name. The queries of this package rely on it,
// so it is written once, as a text/template that Dialect.Types (and
// Dialect.Bool, as .True and .False) fill in.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies the migrations not yet applied, in one transaction,
// each recorded in schema_migrations, under the dialect's migration lock.
func migrate(ctx context.Context, db *sql.DB, d Dialect, log *slog.Logger) error {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	vars := struct {
		Types
		True, False string
	}{d.Types(), d.Bool(true), d.Bool(false)}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if err := d.LockMigrations(ctx, tx); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at `+vars.Time+` NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, file := range files {
		name := strings.TrimPrefix(file, "migrations/")
		digits, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(digits)
		if err != nil {
			return fmt.Errorf("migrate: %s does not start with a version number", name)
		}
		var applied bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, version).Scan(&applied); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if applied {
			continue
		}
		tmpl, err := template.ParseFS(migrations, file)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		var body strings.Builder
		if err := tmpl.Option("missingkey=error").Execute(&body, vars); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, body.String()); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
			version, name, d.Time(time.Now().UTC().Truncate(time.Microsecond))); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		log.Info("applied migration", "migration", name)
	}
	return tx.Commit()
}
