package rephrasetest_test

import (
	"testing"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/rephrasetest"
)

func TestCache(t *testing.T) {
	rephrasetest.RunCacheTests(t, func(*testing.T) bot.RephraseCache { return rephrasetest.NewCache() })
}

func TestBudget(t *testing.T) {
	rephrasetest.RunBudgetTests(t, func(*testing.T) bot.TokenBudget { return rephrasetest.NewBudget() })
}
