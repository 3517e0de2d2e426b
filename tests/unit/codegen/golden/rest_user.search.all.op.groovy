objectClass("User") {
    search {
        endpoint("users") {
            objectExtractor {
                return response.body().get("data")
            }
            pagingSupport {
                request.queryParameter("limit", paging.pageSize)
                       .queryParameter("page", paging.pageOffset)
            }
            emptyFilterSupported true
        }
    }
}
