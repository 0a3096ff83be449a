Attribute VB_Name = "xlhedge_udfs"
'Generated from xlhedge's worksheet-function registry by `python -m xlhedge.addin`:
'do not edit. The wrappers call the Python functions in xlhedge.udfs through
'xlwings, so the workbook also needs xlwings' VBA module (xlwings.bas, e.g. from
'`xlwings quickstart NAME --standalone`) or a reference to the xlwings add-in.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel
Function DV01(price, duration, Optional face)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        DV01 = XLPy.CallUDF("xlhedge.udfs", "DV01", Array(price, duration, face), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        DV01 = XLPy.CallUDF("xlhedge.udfs", "DV01", Array(price, duration, face))
        Exit Function
    #End If
failed:
    DV01 = Err.Description
End Function

Function EXPOSURE_AFTER(exposure, nav, contracts, price, Optional multiplier, Optional beta, Optional micro_contracts, Optional micro_multiplier)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EXPOSURE_AFTER = XLPy.CallUDF("xlhedge.udfs", "EXPOSURE_AFTER", Array(exposure, nav, contracts, price, multiplier, beta, micro_contracts, micro_multiplier), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        EXPOSURE_AFTER = XLPy.CallUDF("xlhedge.udfs", "EXPOSURE_AFTER", Array(exposure, nav, contracts, price, multiplier, beta, micro_contracts, micro_multiplier))
        Exit Function
    #End If
failed:
    EXPOSURE_AFTER = Err.Description
End Function

Function FACTOR_CONTRIBUTORS(block, tickers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FACTOR_CONTRIBUTORS = XLPy.CallUDF("xlhedge.udfs", "FACTOR_CONTRIBUTORS", Array(block, tickers), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FACTOR_CONTRIBUTORS = XLPy.CallUDF("xlhedge.udfs", "FACTOR_CONTRIBUTORS", Array(block, tickers))
        Exit Function
    #End If
failed:
    FACTOR_CONTRIBUTORS = Err.Description
End Function

Function FACTOR_EXPOSURE(block_or_betas, Optional weights_or_nav, Optional nav)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FACTOR_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FACTOR_EXPOSURE", Array(block_or_betas, weights_or_nav, nav), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FACTOR_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FACTOR_EXPOSURE", Array(block_or_betas, weights_or_nav, nav))
        Exit Function
    #End If
failed:
    FACTOR_EXPOSURE = Err.Description
End Function

Function FX_EXPOSURE(weights, currencies, Optional fx_shares, Optional record)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FX_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FX_EXPOSURE", Array(weights, currencies, fx_shares, record), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FX_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FX_EXPOSURE", Array(weights, currencies, fx_shares, record))
        Exit Function
    #End If
failed:
    FX_EXPOSURE = Err.Description
End Function

Function HEDGE_CONTRACTS(notional, price, Optional multiplier, Optional beta, Optional micro_multiplier)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_CONTRACTS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_CONTRACTS", Array(notional, price, multiplier, beta, micro_multiplier), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_CONTRACTS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_CONTRACTS", Array(notional, price, multiplier, beta, micro_multiplier))
        Exit Function
    #End If
failed:
    HEDGE_CONTRACTS = Err.Description
End Function

Function HEDGE_NOTIONAL(exposure, nav, Optional ratio, Optional target, Optional alpha)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_NOTIONAL = XLPy.CallUDF("xlhedge.udfs", "HEDGE_NOTIONAL", Array(exposure, nav, ratio, target, alpha), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_NOTIONAL = XLPy.CallUDF("xlhedge.udfs", "HEDGE_NOTIONAL", Array(exposure, nav, ratio, target, alpha))
        Exit Function
    #End If
failed:
    HEDGE_NOTIONAL = Err.Description
End Function

Function HEDGE_UNITS(notional, price, Optional multiplier, Optional beta)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_UNITS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_UNITS", Array(notional, price, multiplier, beta), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_UNITS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_UNITS", Array(notional, price, multiplier, beta))
        Exit Function
    #End If
failed:
    HEDGE_UNITS = Err.Description
End Function

Function INSTRUMENT(ticker, Optional field)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        INSTRUMENT = XLPy.CallUDF("xlhedge.udfs", "INSTRUMENT", Array(ticker, field), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        INSTRUMENT = XLPy.CallUDF("xlhedge.udfs", "INSTRUMENT", Array(ticker, field))
        Exit Function
    #End If
failed:
    INSTRUMENT = Err.Description
End Function

Function LSQ_HEDGE(book_prices, instrument_prices, Optional periods_per_year)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LSQ_HEDGE = XLPy.CallUDF("xlhedge.udfs", "LSQ_HEDGE", Array(book_prices, instrument_prices, periods_per_year), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        LSQ_HEDGE = XLPy.CallUDF("xlhedge.udfs", "LSQ_HEDGE", Array(book_prices, instrument_prices, periods_per_year))
        Exit Function
    #End If
failed:
    LSQ_HEDGE = Err.Description
End Function

Function MINVAR_HEDGE(spot_prices, hedge_prices, Optional periods_per_year)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MINVAR_HEDGE = XLPy.CallUDF("xlhedge.udfs", "MINVAR_HEDGE", Array(spot_prices, hedge_prices, periods_per_year), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        MINVAR_HEDGE = XLPy.CallUDF("xlhedge.udfs", "MINVAR_HEDGE", Array(spot_prices, hedge_prices, periods_per_year))
        Exit Function
    #End If
failed:
    MINVAR_HEDGE = Err.Description
End Function

Function PAIR_NEUTRAL(w_a, beta_a, beta_b)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PAIR_NEUTRAL = XLPy.CallUDF("xlhedge.udfs", "PAIR_NEUTRAL", Array(w_a, beta_a, beta_b), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PAIR_NEUTRAL = XLPy.CallUDF("xlhedge.udfs", "PAIR_NEUTRAL", Array(w_a, beta_a, beta_b))
        Exit Function
    #End If
failed:
    PAIR_NEUTRAL = Err.Description
End Function

Function PUT_DELTA(spot, strike, vol, years, Optional rate, Optional div)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PUT_DELTA = XLPy.CallUDF("xlhedge.udfs", "PUT_DELTA", Array(spot, strike, vol, years, rate, div), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PUT_DELTA = XLPy.CallUDF("xlhedge.udfs", "PUT_DELTA", Array(spot, strike, vol, years, rate, div))
        Exit Function
    #End If
failed:
    PUT_DELTA = Err.Description
End Function

Function PUT_PRICE(spot, strike, vol, years, Optional rate, Optional div)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PUT_PRICE = XLPy.CallUDF("xlhedge.udfs", "PUT_PRICE", Array(spot, strike, vol, years, rate, div), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PUT_PRICE = XLPy.CallUDF("xlhedge.udfs", "PUT_PRICE", Array(spot, strike, vol, years, rate, div))
        Exit Function
    #End If
failed:
    PUT_PRICE = Err.Description
End Function

Sub RegisterXlhedgeFunctions()
    ' Gives Excel's function wizard (Insert Function, Ctrl+Shift+A) the description
    ' and argument help of every xlhedge function. Run once after importing this
    ' module, or call it from Workbook_Open.
    Dim d() As Variant
    ReDim d(0 To 2)
    d(0) = "Price (> 0): per share for an ETF; points per 100 of face for a bond future."
    d(1) = "Effective (modified) duration in years (> 0): TLT " & ChrW(8776) & " 17, ZN " & ChrW(8776) & " 6.5."
    d(2) = "1 (default) for a share priced in currency; the face per contract (100,000) for a bond future, whose price is then read per 100 of face."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!DV01", Description:="DV01 of one unit in currency per 1bp, positive (SPEC " & ChrW(167) & "5 rates).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 7)
    d(0) = "Factor exposure before the hedge, NAV fraction (long > 0)."
    d(1) = "NAV in the currency of record (> 0)."
    d(2) = "Hedge contracts/units, signed (short < 0)."
    d(3) = "Instrument price (> 0)."
    d(4) = "Currency per price point per contract; default 1."
    d(5) = "Instrument beta to the factor; default 1."
    d(6) = "Micro contracts added (signed); optional."
    d(7) = "Multiplier of the micro contract; needed with micro_contracts."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!EXPOSURE_AFTER", Description:="Factor exposure after adding a hedge: E + contracts " & ChrW(215) & " price " & ChrW(215) & " multiplier " & ChrW(215) & " beta / NAV.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 1)
    d(0) = "Block as in FACTOR_EXPOSURE: first row weights, then one row of betas per factor."
    d(1) = "One row of position names, as many as the block has positions."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FACTOR_CONTRIBUTORS", Description:="Largest contributor per factor row: ticker whose weight " & ChrW(215) & " beta is largest in size.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Block: first row weights (fraction of NAV, short < 0), then one row of betas per factor; optional first column of labels. Or betas alone: factors " & ChrW(215) & " positions."
    d(1) = "With betas: one row of weights (fraction of NAV, short < 0). With a block: NAV (optional), multiplies the result into currency."
    d(2) = "NAV in the currency of record (optional): result " & ChrW(215) & " NAV, i.e. currency exposure."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FACTOR_EXPOSURE", Description:="Net factor exposure of the book, " & ChrW(931) & " weight " & ChrW(215) & " beta per factor row (SPEC " & ChrW(167) & "2).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Position weights, fraction of NAV (short < 0), one row or column."
    d(1) = "Per position, the currency its value moves with (ISO code), same length."
    d(2) = "Per position, share of its value that moves with that currency (blank = 1); optional."
    d(3) = "Currency of record (default USD); its positions carry no FX exposure."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FX_EXPOSURE", Description:="Exposure per currency against the currency of record, " & ChrW(931) & " weight " & ChrW(215) & " FX share (SPEC " & ChrW(167) & "5 FX).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "Signed hedge notional in currency (short < 0); a cell or a column."
    d(1) = "Instrument price (> 0)."
    d(2) = "Currency per price point per contract (ES 50); default 1."
    d(3) = "Instrument beta to the factor; default 1."
    d(4) = "Multiplier of the micro contract (MES 5) to complete the rounding; optional."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_CONTRACTS", Description:="Whole contracts, the notional left by rounding, and a micro-contract completion, as a row.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "Factor exposure E_f as a fraction of NAV (long > 0); a cell or a column of factors."
    d(1) = "NAV in the currency of record (> 0)."
    d(2) = "Hedge ratio h in [0, 1]: the fraction of the gap to hedge (default 1)."
    d(3) = "Target exposure T_f, NAV fraction (default 0 = neutral)."
    d(4) = "Alpha estimate " & ChrW(945) & " in [0, 1) (default 0); the notional is divided by 1 " & ChrW(8722) & " " & ChrW(945) & "."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_NOTIONAL", Description:="Signed currency notional of a factor hedge, " & ChrW(8722) & "h" & ChrW(183) & "(E " & ChrW(8722) & " T)" & ChrW(183) & "NAV/(1 " & ChrW(8722) & " " & ChrW(945) & ") (SPEC " & ChrW(167) & "5).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Signed hedge notional in currency (short < 0), e.g. from HEDGE_NOTIONAL."
    d(1) = "Instrument price (> 0): futures points, share price, USD per coin."
    d(2) = "Currency per price point per unit (ES 50, MES 5, shares 1, ZN 1,000); default 1."
    d(3) = "Instrument beta to the factor (sector ETF beta, " & ChrW(8722) & "1 for SH, duration for rates); default 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_UNITS", Description:="Unrounded hedge units, notional / (price " & ChrW(215) & " multiplier " & ChrW(215) & " beta) (SPEC " & ChrW(167) & "5).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 1)
    d(0) = "Ticker in the catalogue (ES, MES, SPY, SH, SPX_PUT, TLT, ZN, 6E, CL, BTC, BTCUSD" & ChrW(8230) & ")."
    d(1) = "One of: name, factor, kind, price, multiplier, beta, face, currency, expiry, micro, strike, vol, years, funding_rate, tilt (default price)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!INSTRUMENT", Description:="A field of a shipped catalogue instrument (illustrative prices; refresh them).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Book (or position) value series, oldest first, one column."
    d(1) = "Prices of the hedge instruments, one column each, same rows."
    d(2) = "Observations per year to annualise the residual vol; default 252."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!LSQ_HEDGE", Description:="Least-squares hedge of a book with several instruments: row of ratios, then R" & ChrW(178) & ", residual vol.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Prices of the position to hedge, oldest first (one column or row; blanks skipped)."
    d(1) = "Prices of the hedge instrument on the same dates."
    d(2) = "Observations per year to annualise the residual vol (252 daily, 52 weekly, 1 = per period); default 252."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!MINVAR_HEDGE", Description:="Minimum-variance hedge from two price series: row of ratio h*, effectiveness " & ChrW(961) & ChrW(178) & ", residual vol.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Weight of leg A, NAV fraction (long > 0)."
    d(1) = "Beta of A to the index."
    d(2) = "Beta of B to the index (" & ChrW(8800) & " 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PAIR_NEUTRAL", Description:="Weight of the short leg that makes a pair beta-neutral, " & ChrW(8722) & "w_A" & ChrW(183) & ChrW(946) & "_A/" & ChrW(946) & "_B (seed 003).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Underlying price (> 0)."
    d(1) = "Strike price (> 0)."
    d(2) = "Implied volatility, annual decimal (0.18 = 18%, > 0)."
    d(3) = "Time to expiry in years (" & ChrW(8805) & " 0)."
    d(4) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(5) = "Dividend yield, annual continuously compounded decimal (default 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PUT_DELTA", Description:="Black" & ChrW(8211) & "Scholes delta of a European put, " & ChrW(8722) & "e^(" & ChrW(8722) & "qT)" & ChrW(183) & "N(" & ChrW(8722) & "d1), between " & ChrW(8722) & "1 and 0 (SPEC " & ChrW(167) & "5).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Underlying price (> 0)."
    d(1) = "Strike price (> 0)."
    d(2) = "Implied volatility, annual decimal (0.18 = 18%, > 0)."
    d(3) = "Time to expiry in years (" & ChrW(8805) & " 0)."
    d(4) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(5) = "Dividend yield, annual continuously compounded decimal (default 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PUT_PRICE", Description:="Black" & ChrW(8211) & "Scholes value of a European put per unit of underlying (" & ChrW(215) & " multiplier for a contract).", Category:="xlhedge", ArgumentDescriptions:=d
End Sub
