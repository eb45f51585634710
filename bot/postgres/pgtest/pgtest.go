// Package pgtest opens PostgreSQL stores for tests, each in a schema of
// its own that is dropped when the test ends. The database comes from
// BRIEFBOT_TEST_POSTGRES; tests skip when it is unset.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/briefbot/briefbot/bot/postgres"
	"github.com/jackc/pgx/v5"
)

// EnvVar names the variable that holds the test database's URL.
const EnvVar = "BRIEFBOT_TEST_POSTGRES"

// URL returns the test database's URL, or skips the test.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv(EnvVar)
	if url == "" {
		t.Skip("BRIEFBOT_TEST_POSTGRES is unset: set it to a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run the PostgreSQL store tests")
	}
	return url
}

// NewSchema returns the name of a fresh schema, dropped with all it holds
// when the test ends.
func NewSchema(t testing.TB) string {
	t.Helper()
	url := URL(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "briefbot_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

// Open opens a store in schema (see NewSchema), closed when the test ends.
func Open(t testing.TB, schema string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), URL(t), postgres.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// New opens a store in a new schema of its own.
func New(t testing.TB) *postgres.Store {
	t.Helper()
	return Open(t, NewSchema(t))
}
