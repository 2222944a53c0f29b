package generator

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRuntimeNames_OnlyWhatIsCopiedIsReserved(t *testing.T) {
	names, err := runtimeNames("decodeString")
	require.NoError(t, err)
	require.True(t, names["decoder"], "the decoder is copied with decodeString")
	require.True(t, names["Handler"], "the handler layer is copied into every package")
	require.True(t, names["Parse"], "the event API is always declared")
	require.False(t, names["checkRaw"], "the raw validator helpers are not copied, so their names are free")
	names, err = runtimeNames("checkRaw")
	require.NoError(t, err)
	require.True(t, names["checkRaw"])
	require.False(t, names["jsonEqual"], "only the declarations checkRaw uses are copied with it")
	_, err = runtimeNames("noSuchHelper")
	require.Error(t, err)
}

func TestRuntimeCopies_FollowTheGeneratedCode(t *testing.T) {
	gen := map[string][]byte{"a.go": []byte("package p\n\nfunc f(d *decoder) bool { var s string; return decodeString(d, here, &s) }\n")}
	out, err := runtimeCopies("p", Header, gen)
	require.NoError(t, err)
	require.Contains(t, out, "support_decode.go")
	require.Contains(t, out, "support_handler.go")
	require.NotContains(t, out, "support_raw.go")
	gen["b.go"] = []byte("package p\n\nvar _ = jsonEqual\n")
	out, err = runtimeCopies("p", Header, gen)
	require.NoError(t, err)
	require.Contains(t, out, "support_raw.go")
}
