export {
	buildCurve,
	curveSpecSchema,
	CurveError,
	EXPRESSION_TABLE_END_SECONDS,
	type BuildCurveOptions,
	type ConfigIssue,
	type ConversionCurve,
	type CurveSpec
} from './curves';
export {
	compileExpression,
	loadExpressionSupport,
	sampleExpression,
	ExpressionError,
	EXPRESSION_FUNCTIONS,
	EXPRESSION_MAX_LENGTH,
	EXPRESSION_MAX_NODES,
	DEFAULT_EXPRESSION_TIME_LIMIT_MS,
	type CompiledExpression,
	type ExpressionOptions
} from './expression';
export { defaultTiers, TierError, TierTable, type TierConfig, type TierId } from './tiers';
