objectClass("Project") {
    search {
        endpoint("projects") {
            responseFormat JSON_ARRAY
            emptyFilterSupported true
        }
    }
}
