// The one place libs/auth's unit tests opt in to dev auth: AUTH_MODE=dev is refused unless the process is local
// (NODE_ENV development or test; Jest sets test) and opted in with PODIUM_LOCAL_DEV=true (docs/auth.md). The tests of
// that refusal change process.env themselves and restore it.
process.env.PODIUM_LOCAL_DEV = 'true';
