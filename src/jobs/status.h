// Job status responses shared by every operation's status route (api-contract.md C.5, C.6):
// the three envelopes (stage, iteration, multi-doc) and the rule that picks which job a status GET
// reports. Unlike the reference, a `?jobId=` of another session is reported as not found.
#pragma once
#include <optional>
#include <string>

#include "store/store.h"
#include "util/json.h"

namespace cg {
enum class StatusEnvelope { stage, iteration, multiDoc };

// {"jobId","status","createdAt","startedAt","updatedAt","result"?,"errors"?,"progress"} in contract order.
// stage: progress {stage,message}, nulls omitted; iteration: + completedIterations/totalIterations;
// multiDoc: + processedDocuments/totalDocuments and nulls kept (result/errors null when absent).
OrderedJson buildJobStatus(const JobRow& job, StatusEnvelope envelope);
OrderedJson notFoundJobStatus(const std::string& jobId, StatusEnvelope envelope);

// One B.2.6 list item: jobId, type, status, createdAt, updatedAt, startedAt?, finishedAt?.
OrderedJson jobListItem(const JobRow& job);

// C.6: the session must exist (404 "Session {id} not found"); a given `jobId` query value (already
// validated as UUID) is used if it belongs to the session, else the job id stored under
// `sessionKey`; if the key is absent → 404 with `missingMessage`. Returns the status body.
OrderedJson resolveJobStatus(Store& store, const std::string& sessionId, const std::optional<std::string>& queryJobId,
                             const std::string& sessionKey, const std::string& missingMessage, StatusEnvelope envelope);

// Throws ApiError 404 "Session {id} not found" when the session does not exist.
void requireSession(Store& store, const std::string& sessionId);
}  // namespace cg
