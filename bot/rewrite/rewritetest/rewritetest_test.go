package rewritetest_test

import (
	"testing"

	"github.com/briefbot/briefbot/bot/rewrite"
	"github.com/briefbot/briefbot/bot/rewrite/rewritetest"
)

func TestCache(t *testing.T) {
	rewritetest.RunCacheTests(t, func(*testing.T) rewrite.Cache { return rewritetest.NewCache() })
}

func TestBudget(t *testing.T) {
	rewritetest.RunBudgetTests(t, func(*testing.T) rewrite.Budget { return rewritetest.NewBudget() })
}

func TestRejections(t *testing.T) {
	rewritetest.RunRejectionTests(t, func(t *testing.T) rewritetest.RejectionStore { return &rewritetest.Rejections{} })
}
