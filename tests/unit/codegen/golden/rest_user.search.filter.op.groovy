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
            supportedFilter(attribute("email").eq().anySingleValue()) {
                request.queryParameter("email", value)
            }
            supportedFilter(attribute("login").contains().anySingleValue()) {
                request.queryParameter("q", value)
            }
        }
    }
}
