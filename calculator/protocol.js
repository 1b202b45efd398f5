// The request and reply shapes of spbe_core.handle_request, for the type checker. They are
// defined once, as TypedDicts in spbe_core/_protocol.py; tests/test_protocol.py renders these
// typedefs from them and fails when the two differ (edit the Python, then this file).

/**
 * @typedef {object} ScoreRequest
 * @property {"score"} op
 * @property {Record<string, any>} assessment
 *
 * @typedef {object} ImportRequest
 * @property {"import"} op
 * @property {string} text
 *
 * @typedef {object} AssessmentRequest
 * @property {"export" | "csv" | "follow_up"} op
 * @property {Record<string, any>} assessment
 *
 * @typedef {object} EffortFile
 * @property {string} [format]
 * @property {Record<string, number | null>} [effort]
 * @property {Record<string, number>} [max_level]
 *
 * @typedef {object} PlanRequest
 * @property {"plan"} op
 * @property {Record<string, any>} assessment
 * @property {string} target
 * @property {EffortFile} [constraints]
 * @property {number | null} [max_step]
 *
 * @typedef {object} CompareRequest
 * @property {"compare"} op
 * @property {Record<string, any>[]} assessments
 * @property {string[]} [labels]
 * @property {string} [scheme]
 *
 * @typedef {object} FailureReply
 * @property {false} ok
 * @property {string[]} problems
 *
 * @typedef {object} DomainDict
 * @property {string} id
 * @property {string} name
 * @property {number} index
 *
 * @typedef {object} AspectDict
 * @property {string} id
 * @property {string} name
 * @property {string} domain
 * @property {number} index
 *
 * @typedef {object} ResultDict
 * @property {string} framework
 * @property {string} scheme
 * @property {number} index
 * @property {string} predikat
 * @property {boolean} complete
 * @property {string[]} missing
 * @property {DomainDict[]} domains
 * @property {AspectDict[]} aspects
 *
 * @typedef {object} DomainView
 * @property {string} id
 * @property {string} name
 * @property {number} index
 * @property {string} text
 *
 * @typedef {object} AspectView
 * @property {string} id
 * @property {string} name
 * @property {string} domain
 * @property {number} index
 * @property {string} text
 * @property {string} label
 *
 * @typedef {object} ItemView
 * @property {string} id
 * @property {string} label
 * @property {number | null} level
 * @property {string} contribution
 * @property {string} gain
 *
 * @typedef {object} NextStepView
 * @property {string} item
 * @property {string} label
 * @property {number} level
 * @property {number} to
 * @property {string} gain_text
 *
 * @typedef {object} NextView
 * @property {string} predikat
 * @property {string} target_text
 * @property {string} distance_text
 * @property {boolean} reachable
 * @property {NextStepView[]} steps
 *
 * @typedef {object} ResultView
 * @property {string} framework
 * @property {string} scheme
 * @property {number} index
 * @property {string} predikat
 * @property {boolean} complete
 * @property {string[]} missing
 * @property {DomainView[]} domains
 * @property {AspectView[]} aspects
 * @property {string} index_name
 * @property {string} index_text
 * @property {string[]} missing_labels
 * @property {ItemView[]} items
 * @property {NextView | null} next
 *
 * @typedef {object} DifferenceView
 * @property {string} item
 * @property {string} label
 * @property {number | null} self
 * @property {number | null} verified
 * @property {string} impact
 *
 * @typedef {object} ScoreReply
 * @property {true} ok
 * @property {ResultView} result
 * @property {ResultView} [verified]
 * @property {DifferenceView[]} [differences]
 *
 * @typedef {object} AssessmentReply
 * @property {true} ok
 * @property {Record<string, any>} assessment
 *
 * @typedef {object} TextReply
 * @property {true} ok
 * @property {string} text
 *
 * @typedef {object} FollowUpReply
 * @property {true} ok
 * @property {string} text
 * @property {string} csv
 *
 * @typedef {object} StepDict
 * @property {string} item
 * @property {string} name
 * @property {number} from
 * @property {number} to
 * @property {number} gain
 * @property {number} effort
 *
 * @typedef {object} StepView
 * @property {string} item
 * @property {string} name
 * @property {number} from
 * @property {number} to
 * @property {number} gain
 * @property {number} effort
 * @property {string} gain_text
 * @property {string} effort_text
 *
 * @typedef {object} PlanDict
 * @property {number} target
 * @property {boolean} reachable
 * @property {number} start_index
 * @property {number} index
 * @property {string} predikat
 * @property {number} effort
 * @property {number | null} max_step
 * @property {StepDict[]} steps
 *
 * @typedef {object} PlanView
 * @property {number} target
 * @property {boolean} reachable
 * @property {number} start_index
 * @property {number} index
 * @property {string} predikat
 * @property {number} effort
 * @property {number | null} max_step
 * @property {StepView[]} steps
 * @property {string} text
 * @property {string} index_text
 * @property {string} start_text
 * @property {string} target_text
 * @property {string} effort_text
 * @property {string} csv
 *
 * @typedef {object} PlanReply
 * @property {true} ok
 * @property {PlanView} plan
 *
 * @typedef {object} ChangeDict
 * @property {string} item
 * @property {number | null} from
 * @property {number | null} to
 * @property {number} impact
 *
 * @typedef {object} ChangeView
 * @property {string} item
 * @property {number | null} from
 * @property {number | null} to
 * @property {number} impact
 * @property {string} name
 * @property {string} impact_text
 *
 * @typedef {object} ComparedFramework
 * @property {string} id
 * @property {string} short_name
 * @property {string} index_name
 *
 * @typedef {object} ComparisonDict
 * @property {string[]} labels
 * @property {ResultDict[]} results
 * @property {ChangeDict[][]} changes
 * @property {ComparedFramework[]} [frameworks]
 * @property {string} [note]
 *
 * @typedef {object} ComparisonRow
 * @property {"indeks" | "domain" | "aspek"} kind
 * @property {string} id
 * @property {string} name
 * @property {string[]} values
 * @property {string} change
 *
 * @typedef {object} ComparisonView
 * @property {string[]} labels
 * @property {ResultDict[]} results
 * @property {ChangeView[][]} changes
 * @property {string} text
 * @property {string[]} predikat
 * @property {ComparisonRow[]} rows
 * @property {ComparedFramework[]} [frameworks]
 * @property {string} [note]
 *
 * @typedef {object} CompareReply
 * @property {true} ok
 * @property {ComparisonView} comparison
 *
 * @typedef {ScoreRequest | ImportRequest | AssessmentRequest | PlanRequest | CompareRequest} Request
 *
 * @typedef {ScoreReply | AssessmentReply | TextReply | FollowUpReply | PlanReply | CompareReply} SuccessReply
 *
 * @typedef {FailureReply | ScoreReply | AssessmentReply | TextReply | FollowUpReply | PlanReply | CompareReply} Reply
 */

export {};
