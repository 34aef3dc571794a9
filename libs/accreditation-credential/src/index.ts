// The public API of @podium/accreditation-credential: export here only what other projects use.
export {};
