package reporttest_test

import (
	"testing"

	"github.com/briefbot/briefbot/bot/report/reporttest"
)

func TestStore(t *testing.T) {
	reporttest.RunStoreTests(t, func(t *testing.T) reporttest.StoreAndCache { return reporttest.NewStore() })
}
